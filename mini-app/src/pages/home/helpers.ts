import type { Campaign, Me } from '../../services/types.ts';

/** Which commune's campaigns to ask for: the household's commune, else a commune-level role. */
export function communeIdOf(me: Me): string | undefined {
  return me.household?.communeId ?? me.roles.find((r) => r.unitLevel === 'commune')?.unitId;
}

/** The campaign to show: open ones first, then the latest year. */
export function currentCampaign(list: Campaign[]): Campaign | undefined {
  return [...list].sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open') || b.year - a.year)[0];
}

/** "còn 12 ngày (05/12/2026)" / "hôm nay là ngày cuối" / "đã quá hạn 3 ngày". */
export function deadlineText(deadline: string, now = new Date()): { text: string; urgent: boolean } {
  const end = new Date(deadline);
  const day = 86_400_000;
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOf(end) - startOf(now)) / day);
  const date = end.toLocaleDateString('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric' });
  if (days > 0) return { text: `còn ${days} ngày (${date})`, urgent: days <= 3 };
  if (days === 0) return { text: `hôm nay là ngày cuối (${date})`, urgent: true };
  return { text: `đã quá hạn ${-days} ngày (${date})`, urgent: true };
}
