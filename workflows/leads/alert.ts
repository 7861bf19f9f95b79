/** The seed's separator: 17 heavy horizontal lines. */
export const ALERT_RULE = '━'.repeat(17);

/**
 * The WhatsApp lead alert, line for line as in the product document. A field we do not know
 * yet shows "-", so the business sees the gap rather than a missing line.
 */
export function formatLeadAlert(lead: { name: string | null; phone: string | null; email: string | null; interest: string | null; score: number }): string {
  const show = (value: string | null) => (value && value.trim() ? value.trim() : '-');
  return [
    'New Lead Captured!',
    ALERT_RULE,
    `Name: ${show(lead.name)}`,
    `Phone: ${show(lead.phone)}`,
    `Email: ${show(lead.email)}`,
    `Interest: ${show(lead.interest)}`,
    `Score: ${lead.score}/5`,
    ALERT_RULE,
    'Reply CALL to schedule',
  ].join('\n');
}
