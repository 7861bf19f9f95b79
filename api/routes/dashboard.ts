import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import type { RouteRegistry } from '../route-registry.js';

const dashboardConfig = z.object({
  sandbox: z.boolean().describe('The sandbox provider is on here (CATY_SANDBOX): offer sandbox channels (demos) instead of real WhatsApp ones'),
  temporal_ui_url: z.string().nullable(),
  temporal_namespace: z.string(),
});

/** What the dashboard (served at /dashboard) needs to know about this deployment. */
export function dashboardRoutes(routes: RouteRegistry, deps: Pick<ApiDeps, 'dashboard' | 'sandbox'>): void {
  routes.add(
    {
      method: 'get',
      path: '/api/dashboard/config',
      tag: 'dashboard',
      summary: "The dashboard's settings: sandbox or real WhatsApp, and where the Temporal UI is",
      responses: { 200: { description: 'Settings', schema: dashboardConfig } },
    },
    async () => ({
      body: { sandbox: deps.sandbox, temporal_ui_url: deps.dashboard.temporalUiUrl, temporal_namespace: deps.dashboard.temporalNamespace },
    }),
  );
}
