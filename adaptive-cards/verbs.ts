/**
 * Action.Execute verbs, shared by the card templates (bound into their data as `verbs`) and the
 * handlers (`app.adaptiveCards.actionExecute(VERBS.x, …)`), so a renamed verb cannot leave a dead button.
 * Action.Submit fallbacks carry the same value in `data.verb`.
 */
export const VERBS = {
  /** From the `incidents` list: show that incident and make it the conversation's current one. */
  selectIncident: 'incident.select',
  askAboutThis: 'incident.askAbout',
  analyze: 'incident.analyze',
  /** Proposes remediation tasks (stored as a plan) and shows them with their why; writes nothing. */
  addTasks: 'incident.addTasks',
  /** "Add these N tasks": writes exactly the stored plan (data `{ incidentNumber, planId }`). */
  addPlannedTasks: 'incident.addPlannedTasks',
  postComment: 'incident.postComment',
  assignToMe: 'incident.assignToMe',
  changeStatus: 'incident.changeStatus',
  /** Submit (or cancel) of the change-status / close form that `changeStatus` shows. */
  setStatus: 'incident.setStatus',
  hunt: 'incident.hunt',
  /** On a hunt query card: run the stored, validated query (data `{ queryId }`). */
  huntRun: 'hunt.run',
  /** On a hunt query card: save the stored query into the incident as a Sentinel task. */
  huntAddTask: 'hunt.addTask',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** The `data` every incident button sends (Action.Execute `action.data`, or the Action.Submit `value`). */
export interface IncidentActionData {
  verb: Verb;
  incidentNumber: number;
}
