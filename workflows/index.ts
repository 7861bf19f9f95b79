// The worker bundles everything exported here as workflow code.
export { conversationWorkflow, conversationWorkflowV2 } from './conversation/workflow.js';
export { whatsappSessionWorkflow } from './whatsapp-session/workflow.js';
export { webhookDeliveryWorkflow } from './webhooks/delivery-workflow.js';
export { knowledgeSourceWorkflow } from './knowledge/source-workflow.js';
export { knowledgeResyncWorkflow } from './knowledge/resync-workflow.js';
export { mediaRetentionWorkflow } from './media/retention.js';
export { knowledgeEmbeddingsWorkflow } from './knowledge/embeddings-workflow.js';
export { channelStatusWorkflow } from './channel-status/workflow.js';
export { dataRetentionWorkflow } from './lifecycle/retention.js';
