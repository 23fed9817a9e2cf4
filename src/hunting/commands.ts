import type { CommandInfo } from '../bot/commands';

/** Listed in COMMANDS (help, Teams manifest); the `hunt` and `kql:` routes are in ./index. */
export const HUNT_COMMANDS: readonly CommandInfo[] = [
  {
    name: 'hunt',
    usage: 'hunt <what>',
    description: 'Write a hunting query for the current incident, validated against the workspace schema.',
  },
];
