import type { Clock } from '../../lib/clock.ts';
import type { Services } from '../../services.ts';
import { DEMO, demoId } from './demo.ts';

const DAY = 86_400_000;

/**
 * The demo's open campaign for the current year, created through the campaigns service as the
 * demo officer (so it is audited and announced like a real one). Milestones are placed ahead of
 * the start time, so a newcomer can self-assess, verify and recognise at once.
 * Idempotent: the id is derived from the year, and an existing campaign is left alone.
 */
export async function seedDemoCampaign(services: Services, clock: Clock): Promise<void> {
  const now = clock.now();
  const year = now.getUTCFullYear();
  const officer = await services.auth.loadActor(DEMO.users.officer);
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  await services.campaigns
    .create(officer, {
      id: demoId(`campaign:${year}`),
      communeId: DEMO.communeId,
      year,
      title: `Đánh giá, công nhận danh hiệu học tập năm ${year}`,
      registrationOpensAt: at(-7),
      selfAssessmentDueAt: at(14),
      verificationDueAt: at(21),
      recognitionDueAt: at(28),
      reportDueAt: at(30),
    })
    .catch((err: unknown) => {
      // The officer already opened this year's campaign by hand: keep theirs.
      if ((err as { code?: string }).code !== 'CAMPAIGN_EXISTS') throw err;
    });
}
