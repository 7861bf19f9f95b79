// The worker bundles everything exported here as workflow code.
export { conversationWorkflow } from './conversation/workflow.js';
export { whatsappSessionWorkflow } from './whatsapp-session/workflow.js';
export { webhookDeliveryWorkflow } from './webhooks/delivery-workflow.js';
export { channelStatusWorkflow } from './channel-status/workflow.js';
