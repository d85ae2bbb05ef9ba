import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; `HOOKBRIDGE_LOG_LEVEL` (or LOG_LEVEL) picks the level. */
export function createLogger(o: { level?: string; destination?: DestinationStream } = {}): Logger {
  const level = o.level ?? process.env.HOOKBRIDGE_LOG_LEVEL ?? process.env.LOG_LEVEL ?? 'info';
  return pino(
    {
      level,
      base: { app: 'hookbridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Defence in depth: never print credentials even if a caller logs a whole object.
      redact: { paths: ['*.secret', '*.token', '*.password', '*.signingSecret', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
    },
    o.destination ?? process.stdout,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
