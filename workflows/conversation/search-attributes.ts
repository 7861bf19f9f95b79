import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The custom search attributes of DESIGN §4: one query in the Temporal UI finds a conversation. */
export const CatyWidgetId = defineSearchAttributeKey('CatyWidgetId', SearchAttributeType.KEYWORD);
export const CatyCustomerPhone = defineSearchAttributeKey('CatyCustomerPhone', SearchAttributeType.KEYWORD);
export const CatyChannelType = defineSearchAttributeKey('CatyChannelType', SearchAttributeType.KEYWORD);
export const CatyMode = defineSearchAttributeKey('CatyMode', SearchAttributeType.KEYWORD);
export const CatyLanguage = defineSearchAttributeKey('CatyLanguage', SearchAttributeType.KEYWORD);
export const CatyLeadScore = defineSearchAttributeKey('CatyLeadScore', SearchAttributeType.INT);

export const catySearchAttributes = [CatyWidgetId, CatyCustomerPhone, CatyChannelType, CatyMode, CatyLanguage, CatyLeadScore];
