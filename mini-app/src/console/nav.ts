import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../services/types.ts';

export type ConsoleScreen =
  | 'progress'
  | 'import'
  | 'registry'
  | 'roles'
  | 'admin-roles'
  | 'invites'
  | 'targets'
  | 'zalo-groups'
  | 'admin-units'
  | 'province'
  | 'phone';
export interface NavItem {
  path: string;
  label: string;
  screen: ConsoleScreen;
  /** Reached from another screen only (the review of one form). */
  hidden?: boolean;
}

/** The officer's commune grant (the console's officer screens work on one commune). */
export function communeOf(me: Me) {
  return me.roles.find((r) => r.role === 'officer' && r.unitLevel === 'commune');
}
export function provinceOf(me: Me) {
  return me.roles.find((r) => (r.role === 'province_viewer' || r.role === 'admin') && r.unitLevel === 'province');
}
export const isAdminUser = (me: Me) => me.roles.some((r) => r.role === 'admin');

/**
 * What each role finds in the menu: an officer the whole commune workflow (targets and Zalo groups
 * included); a province viewer the province view and its targets; an admin also the provinces and
 * communes and the appointment of their officers.
 */
export function navFor(me: Me): NavItem[] {
  const items: NavItem[] = [];
  if (communeOf(me)) {
    items.push(
      { path: '/', label: 'Tổng quan, tiến độ', screen: 'progress' },
      { path: '/import', label: 'Nhập danh sách', screen: 'import' },
      { path: '/registry', label: 'Sổ hộ, dòng họ, đơn vị', screen: 'registry' },
      { path: '/roles', label: 'Phân công tổ trưởng, trưởng ấp', screen: 'roles' },
      { path: '/invites', label: 'In mã mời theo tổ', screen: 'invites' },
      { path: '/targets', label: 'Chỉ tiêu', screen: 'targets' },
      { path: '/zalo-groups', label: 'Nhóm Zalo của ấp, xã', screen: 'zalo-groups' },
      { path: '/campaign', label: 'Đợt đánh giá', screen: 'phone' },
      { path: '/recognition', label: 'Xác minh, bình xét, công nhận', screen: 'phone' },
      { path: '/exports', label: 'Báo cáo, tải về', screen: 'phone' },
      { path: '/messages', label: 'Tin nhắn đã gửi', screen: 'phone' },
      { path: '/review', label: 'Xác minh hồ sơ', screen: 'phone', hidden: true },
    );
  }
  if (isAdminUser(me)) {
    items.push(
      { path: '/admin-units', label: 'Tỉnh, xã', screen: 'admin-units' },
      { path: '/units', label: 'Nhập danh sách tỉnh, xã', screen: 'import' },
      { path: '/admin-roles', label: 'Bổ nhiệm cán bộ', screen: 'admin-roles' },
    );
  }
  if (provinceOf(me)) {
    items.push({ path: '/province', label: 'Các xã trong tỉnh', screen: 'province' });
    // An officer's menu has it already (their commune's); here: the province's.
    if (!communeOf(me)) items.push({ path: '/targets', label: 'Chỉ tiêu của tỉnh', screen: 'targets' });
  }
  return items;
}

function current(fallback: string): string {
  const h = decodeURIComponent(window.location.hash.replace(/^#/, ''));
  return h.startsWith('/') ? h : fallback;
}

/** Hash routes (#/import, #/review/<id>): bookmarkable, and /console stays the one page the server serves. */
export function useHashRoute(fallback: string): [string, (path: string) => void] {
  const [route, setRoute] = useState(() => current(fallback));
  useEffect(() => {
    const on = () => {
      setRoute(current(fallback));
      document.getElementById('console-main')?.scrollTo(0, 0);
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, [fallback]);
  const go = useCallback((path: string) => {
    window.location.hash = path;
  }, []);
  return [route, go];
}
