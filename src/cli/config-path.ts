/** `--config FILE`, else HOOKBRIDGE_CONFIG, else config/hookbridge.yaml in the working directory. */
export function configPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env.HOOKBRIDGE_CONFIG ?? 'config/hookbridge.yaml';
}
