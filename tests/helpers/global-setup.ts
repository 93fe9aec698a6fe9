// Placeholder replaced by the database template setup (foundation issue).
export default async function setup(): Promise<void> {}
