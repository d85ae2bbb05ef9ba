import type { MessageField, Platform, Severity } from './message.js';

/** The parts of a message that template block helpers collect while the body renders. */
export interface MessageDraft {
  title?: string;
  url?: string;
  severity?: Severity;
  footer?: string;
  timestamp?: string;
  fields: MessageField[];
}

export interface EventInfo {
  readonly source: string;
  readonly id: string;
  readonly type: string;
  readonly receivedAt: string;
  readonly version?: string;
}

/**
 * Handlebars `@data` for one render: templates read `@event`, `@provider`, `@now`; helpers also find
 * the draft they fill. Handlebars copies these keys into every nested frame, so `#each` bodies see
 * the same draft.
 */
export interface RenderData {
  readonly now: Date;
  readonly event: EventInfo;
  readonly provider: string;
  readonly platform: Platform;
  readonly draft: MessageDraft;
  /** Set inside `{{#url}}`: values are written unescaped because they form a URL, not prose. */
  readonly raw?: boolean;
}
