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
import { datadog } from './datadog.js';
import { freshdesk } from './freshdesk.js';
import { front } from './front.js';
import { grafana } from './grafana.js';
import { helpscout } from './helpscout.js';
import { intercom } from './intercom.js';
import { jira } from './jira.js';
import { linear } from './linear.js';
import { newrelic } from './newrelic.js';
import { opsgenie } from './opsgenie.js';
import { pagerduty } from './pagerduty.js';
import { sentry } from './sentry.js';
import { zendesk } from './zendesk.js';
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
  grafana,
  pagerduty,
  sentry,
  datadog,
  opsgenie,
  newrelic,
  zendesk,
  intercom,
  helpscout,
  front,
  linear,
  jira,
  freshdesk,
];

const byType = new Map(sourceTypes.map((s) => [s.type, s]));

export function findSourceType(type: string): AnySourceType | undefined {
  return byType.get(type);
}
