import { builder } from '../builder.js';

builder.queryType({ description: 'Jobs, components, storage targets and schedules, as they are now.' });
builder.mutationType({ description: 'Submitting, cancelling and retrying jobs; reloading components.' });
builder.subscriptionType({ description: 'Live job state and logs (graphql-ws or server-sent events).' });
