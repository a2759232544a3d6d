/**
 * The whole schema: each module below adds its types and fields to the builder. A new domain is
 * one more import here (e.g. `import './schedules.js';
import './partitions.js';
import './backfills.js';`).
 */
import { builder } from '../builder.js';
import './root.js';
import './scalars.js';
import './errors.js';
import './jobs.js';
import './job-stats.js';
import './job-logs.js';
import './job-mutations.js';
import './job-subscriptions.js';
import './components.js';
import './storage-targets.js';
import './schedules.js';
import './partitions.js';
import './backfills.js';
import './trade-days.js';
import './market-data.js';
import './offline-calendar.js';
import './processes.js';

export const schema = builder.toSchema({ sortSchema: true });
