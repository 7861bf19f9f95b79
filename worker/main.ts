/** Production conversation worker: runs conversation workflows and their activities. */
import { startProductionProcess } from './production.js';

const stack = await startProductionProcess('worker', { runWorker: true, gateway: false });
console.log(`caty worker polling ${stack.config.TEMPORAL_TASK_QUEUE} on ${stack.temporalAddress}`);
