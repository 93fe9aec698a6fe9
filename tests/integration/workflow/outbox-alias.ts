// Short names for the tables the workflow tests read directly.
export { assessmentCounts, outbox as notificationOutboxTable } from '@hoctap/server/db/schema/index.ts';
