import type { AnySourceType } from './types.js';

/** Every supported source type, listed explicitly (no discovery by file name). */
export const sourceTypes: readonly AnySourceType[] = [];

const byType = new Map(sourceTypes.map((s) => [s.type, s]));

export function findSourceType(type: string): AnySourceType | undefined {
  return byType.get(type);
}
