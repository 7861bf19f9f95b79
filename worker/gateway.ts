/**
 * `npm run start:gateway`: a WhatsApp gateway process against an existing Temporal cluster and
 * PostgreSQL. Run as many as you like; each baileys session is held by exactly one of them.
 */
import { startProductionProcess } from './production.js';

const stack = await startProductionProcess('gateway', { runWorker: false, gateway: {} });
console.log(`caty gateway ${stack.gateway?.identity ?? ''} polling ${stack.config.WHATSAPP_SESSION_TASK_QUEUE} on ${stack.temporalAddress}`);
