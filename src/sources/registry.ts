import { azureDevops } from './azure-devops.js';
import { bitbucket } from './bitbucket.js';
import { braintree } from './braintree.js';
import { buildkite } from './buildkite.js';
import { circleci } from './circleci.js';
import { jenkins } from './jenkins.js';
import { lemonsqueezy } from './lemonsqueezy.js';
import { paddle } from './paddle.js';
import { paypal } from './paypal.js';
import { shopify } from './shopify.js';
import { square } from './square.js';
import { vercel } from './vercel.js';
import { alertmanager } from './alertmanager.js';
import { generic } from './generic.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { standard } from './standard.js';
import { stripe } from './stripe.js';
import type { AnySourceType } from './types.js';

/** Every supported source type, listed explicitly (no discovery by file name). */
export const sourceTypes: readonly AnySourceType[] = [
  github,
  gitlab,
  stripe,
  alertmanager,
  standard,
  generic,
  circleci,
  buildkite,
  bitbucket,
  jenkins,
  azureDevops,
  vercel,
  paddle,
  shopify,
  lemonsqueezy,
  square,
  paypal,
  braintree,
];

const byType = new Map(sourceTypes.map((s) => [s.type, s]));

export function findSourceType(type: string): AnySourceType | undefined {
  return byType.get(type);
}
