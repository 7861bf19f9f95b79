/** Production API process: the Koa app against an existing Temporal cluster and PostgreSQL. */
import { loadConfig } from '../config/index.js';
import { startProductionProcess } from '../worker/production.js';

const stack = await startProductionProcess('api', { runWorker: false, gateway: false, apiPort: loadConfig().PORT });
console.log(`caty api listening on ${stack.apiUrl}`);
