// Webhooks of jobs: URL policy, signing, secrets, subscriptions and the delivery outbox.
export * from './webhook-dispatcher.js';
export * from './webhook-policy.js';
export * from './webhook-post.js';
export * from './webhook-secrets.js';
export * from './webhook-signature.js';
export * from './webhook-store.js';
