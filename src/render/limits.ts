/**
 * Platform limits, one named constant each. The chat adapters fit every message inside them, so the
 * platform never rejects a post for its size.
 */

// https://docs.slack.dev/reference/block-kit/blocks (message surfaces)
export const SLACK_BLOCKS_MAX = 50;
// https://docs.slack.dev/reference/block-kit/blocks/header-block
export const SLACK_HEADER_TEXT_MAX = 150;
// https://docs.slack.dev/reference/block-kit/blocks/section-block
export const SLACK_SECTION_TEXT_MAX = 3000;
export const SLACK_SECTION_FIELDS_MAX = 10;
export const SLACK_SECTION_FIELD_TEXT_MAX = 2000;
// https://docs.slack.dev/reference/block-kit/blocks/context-block
export const SLACK_CONTEXT_ELEMENTS_MAX = 10;
// https://docs.slack.dev/reference/block-kit/composition-objects/text-object
export const SLACK_TEXT_OBJECT_MAX = 3000;
// https://docs.slack.dev/reference/block-kit/blocks/actions-block
export const SLACK_ACTIONS_ELEMENTS_MAX = 25;
// https://docs.slack.dev/reference/block-kit/block-elements/button-element
export const SLACK_BUTTON_TEXT_MAX = 75;
export const SLACK_ACTION_ID_MAX = 255;
export const SLACK_BUTTON_VALUE_MAX = 2000;
export const SLACK_BUTTON_URL_MAX = 3000;
// https://docs.slack.dev/reference/methods/chat.postMessage (text argument; truncated beyond this)
export const SLACK_MESSAGE_TEXT_MAX = 40_000;
// Not a documented limit: Slack answers msg_blocks_too_long near 13k characters across all blocks
// (slackapi/bolt-js#2509), so the whole message is budgeted below that.
export const SLACK_BLOCKS_TEXT_BUDGET = 12_000;
// Our choice: the top-level text is only the notification and fallback line.
export const SLACK_FALLBACK_TEXT_MAX = 300;

// https://discord.com/developers/docs/resources/message#embed-object-embed-limits
export const DISCORD_EMBED_TITLE_MAX = 256;
export const DISCORD_EMBED_DESCRIPTION_MAX = 4096;
export const DISCORD_EMBED_FIELDS_MAX = 25;
export const DISCORD_EMBED_FIELD_NAME_MAX = 256;
export const DISCORD_EMBED_FIELD_VALUE_MAX = 1024;
export const DISCORD_EMBED_FOOTER_MAX = 2048;
export const DISCORD_EMBED_TOTAL_MAX = 6000;
// Not documented for embeds; URLs longer than this are dropped rather than cut (a cut URL is wrong).
export const DISCORD_EMBED_URL_MAX = 2048;
// https://discord.com/developers/docs/components/reference (legacy message components)
export const DISCORD_ACTION_ROWS_MAX = 5;
export const DISCORD_ROW_BUTTONS_MAX = 5;
export const DISCORD_BUTTON_LABEL_MAX = 80;
export const DISCORD_CUSTOM_ID_MAX = 100;

/** What a cut string ends with. */
export const ELLIPSIS = '…';
/** Shown where a template asked for a value the payload does not have. */
export const PLACEHOLDER = '—';
