import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

const tooLarge = (limit: number) =>
  new HttpError(413, `request body is larger than the limit of ${limit} bytes`, 'too_large', { connection: 'close' });
const encoded = () =>
  new HttpError(415, 'compressed bodies are not accepted: send without Content-Encoding', 'unsupported_encoding', { 'accept-encoding': 'identity' });
const unreadable = () => new HttpError(400, 'request body could not be read', 'body_read_error', {}, true);

/**
 * Reads the body once, as bytes, refusing it as soon as it passes `limit`: a declared
 * Content-Length over the limit is refused before a byte is read, and a chunked body is
 * refused at the chunk that crosses it, so an oversized request is never buffered. The stream
 * is paused, not destroyed, so the 413 can still be written; `connection: close` then ends it.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  // None of the supported providers compresses its webhooks, and signatures cover uncompressed
  // bytes: a coded body is refused rather than verified as sent (a sure 401, counted towards a
  // failed-auth block) or inflated (a small body can expand far past the limit).
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== '' && encoding.trim().toLowerCase() !== 'identity') return Promise.reject(encoded());
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  // The client can leave while the caller awaits something first (a rate limit kept in Redis): a
  // destroyed request never emits again, and listening to it would leave this promise pending for good.
  if (req.destroyed) return Promise.reject(unreadable());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError).off('close', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      cleanup();
      req.pause();
      reject(tooLarge(limit));
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(unreadable());
    };
    // 'close' before 'end' is an abort too, whichever of 'aborted' and 'error' the stream skipped.
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError).on('close', onError);
  });
}
