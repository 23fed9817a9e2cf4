import type { DemoActor } from './storeTypes';

/** The demo tenant's SOC analysts; incidents are assigned to them and they write comments and tasks. */
export const DEMO_ANALYSTS: readonly DemoActor[] = [
  {
    name: 'Priya Sharma',
    email: 'priya.sharma@contoso.com',
    objectId: '6f1c2a3e-7b41-4c8e-9d2a-1e5f3b7c9a01',
    userPrincipalName: 'priya.sharma@contoso.com',
    objectType: 'User',
  },
  {
    name: 'Marcus Chen',
    email: 'marcus.chen@contoso.com',
    objectId: '2b8d4e6f-1a3c-4d5e-8f70-9a1b2c3d4e02',
    userPrincipalName: 'marcus.chen@contoso.com',
    objectType: 'User',
  },
  {
    name: 'Elena Rossi',
    email: 'elena.rossi@contoso.com',
    objectId: 'c4e6a8b0-2d4f-4a6c-8e0a-3c5e7a9b1d03',
    userPrincipalName: 'elena.rossi@contoso.com',
    objectType: 'User',
  },
];

/** The identity the bot calls the demo workspace as; comments and tasks it writes carry this author. */
export const DEMO_BOT_ACTOR: DemoActor = {
  name: 'Sentinel Assistant (demo)',
  email: 'sentinel-assistant@contoso.com',
  objectId: '9d0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f99',
  userPrincipalName: 'sentinel-assistant@contoso.com',
  objectType: 'Client',
};

export function analyst(name: 'Priya Sharma' | 'Marcus Chen' | 'Elena Rossi'): DemoActor {
  const found = DEMO_ANALYSTS.find((a) => a.name === name);
  if (found === undefined) throw new Error(`No demo analyst named ${name}`);
  return found;
}

/** Sentinel resolves an owner given only by objectId from Entra ID; the demo resolves it from this list. */
export function findActorByObjectId(objectId: string): DemoActor | undefined {
  const id = objectId.toLowerCase();
  return [...DEMO_ANALYSTS, DEMO_BOT_ACTOR].find((a) => a.objectId.toLowerCase() === id);
}
