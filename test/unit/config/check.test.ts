import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/cli/check.js';
import { demoTypes } from './demo-source-type.js';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('runCheck', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hb-check-'));
    await writeFile(join(dir, 'good.yaml'), 'sources:\n  d: { type: demo, secret: s }\nroutes:\n  - to: [console]\n');
    await writeFile(join(dir, 'bad.yaml'), 'server:\n  port: x\n  colour: red\n');
    await writeFile(join(dir, 'no-folder.yaml'), 'sources:\n  d: { type: demo, secret: s }\ntemplates: ./tempaltes\n');
    await writeFile(join(dir, 'file-folder.yaml'), 'templates: ./good.yaml\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (name: string, checkTemplates?: Parameters<typeof runCheck>[0]['checkTemplates']) => {
    const out = sink();
    const err = sink();
    const configFile = join(dir, name);
    const code = await runCheck({ configFile, env: {}, sourceTypes: demoTypes, stdout: out.stream, stderr: err.stream, ...(checkTemplates ? { checkTemplates } : {}) });
    return { code, out: out.text(), err: err.text(), configFile };
  };

  it('prints a one-line summary and exits 0 on a valid config', async () => {
    const r = await run('good.yaml');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^.*good\.yaml: OK \(1 source: d; 1 route\)\n$/);
  });

  it('prints every problem as file:line:col: message and exits 1', async () => {
    const r = await run('bad.yaml');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`${r.configFile}:2:9: server.port: expected number\n${r.configFile}:3:3: server: unknown key "colour"\n2 problems found\n`);
  });

  it('reports template problems from the supplied checker', async () => {
    const r = await run('good.yaml', async () => [{ file: 'templates/x.hbs', line: 3, col: 7, message: 'unclosed {{#if}}' }]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('templates/x.hbs:3:7: unclosed {{#if}}\n1 problem found\n');
  });

  it('reports a templates folder that is missing or not a folder, at its key, without reading templates', async () => {
    let read = false;
    const checker = async () => ((read = true), []);
    const missing = await run('no-folder.yaml', checker);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`${missing.configFile}:3:12: templates: ${join(dir, 'tempaltes')} does not exist\n1 problem found\n`);
    const file = await run('file-folder.yaml', checker);
    expect(file.err).toBe(`${file.configFile}:1:12: templates: ${join(dir, 'good.yaml')} is not a folder\n1 problem found\n`);
    expect(read).toBe(false);
  });
});

