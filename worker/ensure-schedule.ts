import { ScheduleAlreadyRunning, type Client } from '@temporalio/client';

export interface DeploymentSchedule {
  scheduleId: string;
  every: string;
  workflowType: string;
  taskQueue: string;
  args: unknown[];
  /** What it does and which setting drives it, for whoever looks at it in the Temporal UI. */
  about: string;
}

/**
 * One Temporal schedule per deployment: the first worker creates it, and every worker that starts
 * points it at its own configuration (the last one to start wins, which is the newest settings).
 * Runs never overlap; a run missed while the server was down is caught up within one interval.
 */
export async function ensureSchedule(client: Client, schedule: DeploymentSchedule): Promise<void> {
  const action = { type: 'startWorkflow' as const, workflowType: schedule.workflowType, taskQueue: schedule.taskQueue, args: schedule.args };
  try {
    await client.schedule.create({
      scheduleId: schedule.scheduleId,
      spec: { intervals: [{ every: schedule.every }] },
      action,
      policies: { overlap: 'SKIP', catchupWindow: schedule.every },
      memo: { about: schedule.about },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(schedule.scheduleId)
      .update((previous) => ({ ...previous, spec: { intervals: [{ every: schedule.every }] }, action: { ...action, workflowId: previous.action.workflowId } }));
  }
}
