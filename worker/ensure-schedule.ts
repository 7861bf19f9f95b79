import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client } from '@temporalio/client';

export interface DeploymentSchedule {
  /** What the schedule does, e.g. `caty-data-retention`; its id adds the deployment's task queue. */
  name: string;
  every: string;
  workflowType: string;
  taskQueue: string;
  args: unknown[];
  /** What it does and which setting drives it, for whoever looks at it in the Temporal UI. */
  about: string;
}

/**
 * Deployments that share a Temporal namespace are told apart by their task queue: each keeps its
 * own schedule, pointed at its own workers and settings, instead of taking one over from another.
 */
export function deploymentScheduleId(name: string, taskQueue: string): string {
  return `${name}:${taskQueue}`;
}

/**
 * One Temporal schedule per deployment: the first worker creates it, and every worker that starts
 * points it at its own configuration (the last one to start wins, which is the newest settings).
 * Runs never overlap; a run missed while the server was down is caught up within one interval.
 */
export async function ensureSchedule(client: Client, schedule: DeploymentSchedule): Promise<void> {
  const scheduleId = deploymentScheduleId(schedule.name, schedule.taskQueue);
  const action = { type: 'startWorkflow' as const, workflowType: schedule.workflowType, taskQueue: schedule.taskQueue, args: schedule.args };
  try {
    await client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: schedule.every }] },
      action,
      policies: { overlap: 'SKIP', catchupWindow: schedule.every },
      memo: { about: schedule.about },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(scheduleId)
      .update((previous) => ({ ...previous, spec: { intervals: [{ every: schedule.every }] }, action: { ...action, workflowId: previous.action.workflowId } }));
  }
  await retireUnqualifiedSchedule(client, schedule);
}

/** Releases before 2026-12-06 named the schedule without its task queue: this deployment's one goes. */
async function retireUnqualifiedSchedule(client: Client, schedule: DeploymentSchedule): Promise<void> {
  const handle = client.schedule.getHandle(schedule.name);
  try {
    const { action } = await handle.describe();
    if (action.type === 'startWorkflow' && action.taskQueue === schedule.taskQueue) await handle.delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
}
