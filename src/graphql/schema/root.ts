import { builder } from '../builder.js';

builder.queryType({
  description: 'Jobs, components, storage targets, schedules and trade days, as they are now.',
});
builder.mutationType({
  description:
    'Submitting, cancelling and retrying jobs; running, pausing and reloading schedules; reloading components.',
});
builder.subscriptionType({
  description: 'Live job state and logs (graphql-ws or server-sent events).',
});
