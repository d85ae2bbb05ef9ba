import { readFileSync } from 'node:fs';

/** Raw bytes of test/fixtures/sources/<provider>/<name>.json, exactly as stored (never re-serialised). */
export function fixture(provider: string, name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/sources/${provider}/${name}.json`, import.meta.url));
}
