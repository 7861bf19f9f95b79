/**
 * Loaded once per workflow thread, before the SDK freezes the shared context's globals (see
 * SHARED_WORKFLOW_MODULES in worker/workflow-bundle.ts).
 *
 * The SDK records a stack trace for every promise a workflow creates (for the Temporal UI's stack
 * trace view), each frame mapped through the bundle's source map. Measured with `npm run bench`,
 * that was about a third of the workflow thread's time; our workflows always wait in the same two
 * places (the main loop's condition, or an activity), so a few frames say everything a trace can.
 */
export const WORKFLOW_STACK_FRAMES = 4;
Error.stackTraceLimit = WORKFLOW_STACK_FRAMES;
