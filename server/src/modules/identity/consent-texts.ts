import { createHash } from 'node:crypto';
import type { ConsentPurpose } from '../../db/schema/identity.ts';

/**
 * The words a person agrees to. Changing any text means a new version: consent given to an
 * older version is kept in the log but no longer counts as live (Decree 356: verifiable consent).
 */
export const CONSENT_VERSION = '2026-11-v1';

/** Who reads the words: a household member, or someone who handles other people's records. */
export type ConsentAudience = 'household' | 'staff';

/** A tổ leader, hamlet head, officer, province viewer or admin reads the staff words. */
export function consentAudience(roles: readonly { role: string }[]): ConsentAudience {
  return roles.some((r) => r.role !== 'household') ? 'staff' : 'household';
}

type ConsentTexts = Record<ConsentPurpose, { title: string; text: string }>;

const HOUSEHOLD_TEXTS: ConsentTexts = {
  evaluation: {
    title: 'Đánh giá danh hiệu',
    text: 'Tôi đồng ý để Ủy ban nhân dân xã và Hội Khuyến học xã sử dụng thông tin hộ gia đình tôi (họ tên chủ hộ, địa chỉ, số nhân khẩu, kết quả tự đánh giá) để đánh giá, xác minh và công nhận danh hiệu học tập của năm. Thông tin chỉ dùng cho việc này và không chia sẻ cho bên khác.',
  },
  photos: {
    title: 'Ảnh minh chứng',
    text: 'Tôi đồng ý gửi ảnh minh chứng (ví dụ: giấy khen, sách vở, buổi sinh hoạt). Ảnh được xóa thông tin vị trí và chỉ tổ trưởng, cán bộ xã phụ trách được xem. Tôi sẽ không chụp giấy tờ tùy thân, bàn thờ hoặc thông tin sức khỏe.',
  },
  notifications: {
    title: 'Nhận thông báo qua Zalo',
    text: 'Tôi đồng ý nhận thông báo về hạn nộp, kết quả xác minh và kết quả công nhận qua Zalo. Tôi có thể tắt bất cứ lúc nào.',
  },
};

// Leaders and officers handle other people's records: their words say what is kept about them
// (name, phone, role, what they did) and what they promise about the records they are given.
const STAFF_TEXTS: ConsentTexts = {
  evaluation: {
    title: 'Đánh giá danh hiệu',
    text: 'Tôi đồng ý để Ủy ban nhân dân xã sử dụng họ tên, số điện thoại và vai trò của tôi để giao việc và ghi lại các việc tôi làm (xác minh, xét duyệt, công nhận) trong nhật ký. Tôi chỉ xem và dùng thông tin của các hộ, người dân, tổ chức mà tôi được giao phụ trách, chỉ cho việc đánh giá, công nhận danh hiệu học tập, và không chia sẻ cho bên khác. Nếu tôi cũng là thành viên một hộ, thông tin hộ gia đình tôi được dùng như với mọi hộ.',
  },
  photos: {
    title: 'Ảnh minh chứng',
    text: 'Tôi đồng ý gửi ảnh minh chứng khi nhập hồ sơ giúp người dân (chế độ hỗ trợ) hoặc cho hồ sơ của tôi. Ảnh được xóa thông tin vị trí và chỉ người phụ trách được xem. Tôi sẽ không chụp giấy tờ tùy thân, bàn thờ hoặc thông tin sức khỏe.',
  },
  notifications: {
    title: 'Nhận thông báo qua Zalo',
    text: 'Tôi đồng ý nhận thông báo về hồ sơ chờ xác minh, hạn nộp và kết quả công nhận qua Zalo. Tôi có thể tắt bất cứ lúc nào.',
  },
};

export const CONSENT_TEXTS: Record<ConsentAudience, ConsentTexts> = { household: HOUSEHOLD_TEXTS, staff: STAFF_TEXTS };

/** The hash of exactly the words a person saw, kept with each grant and withdrawal. */
export const consentTextHash = (purpose: ConsentPurpose, audience: ConsentAudience) =>
  createHash('sha256').update(`${CONSENT_VERSION}\n${CONSENT_TEXTS[audience][purpose].text}`).digest('hex');
