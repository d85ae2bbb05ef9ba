/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial) as an unsigned integer. `zlib.crc32` only arrived in
 * Node 20.15 and 22.2, and we support every Node 20, so the table lives here.
 */
const table = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
