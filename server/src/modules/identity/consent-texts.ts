import { createHash } from 'node:crypto';
import type { ConsentPurpose } from '../../db/schema/identity.ts';

/**
 * The words a person agrees to. Changing any text means a new version: consent given to an
 * older version is kept in the log but no longer counts as live (Decree 356: verifiable consent).
 */
export const CONSENT_VERSION = '2026-11-v1';

export const CONSENT_TEXTS: Record<ConsentPurpose, { title: string; text: string }> = {
  evaluation: {
    title: 'Đánh giá danh hiệu',
    text:
      'Tôi đồng ý để Ủy ban nhân dân xã và Hội Khuyến học xã sử dụng thông tin hộ gia đình tôi (họ tên chủ hộ, địa chỉ, số nhân khẩu, kết quả tự đánh giá) để đánh giá, xác minh và công nhận danh hiệu học tập của năm. Thông tin chỉ dùng cho việc này và không chia sẻ cho bên khác.',
  },
  photos: {
    title: 'Ảnh minh chứng',
    text:
      'Tôi đồng ý gửi ảnh minh chứng (ví dụ: giấy khen, sách vở, buổi sinh hoạt). Ảnh được xóa thông tin vị trí và chỉ tổ trưởng, cán bộ xã phụ trách được xem. Tôi sẽ không chụp giấy tờ tùy thân, bàn thờ hoặc thông tin sức khỏe.',
  },
  notifications: {
    title: 'Nhận thông báo qua Zalo',
    text:
      'Tôi đồng ý nhận thông báo về hạn nộp, kết quả xác minh và kết quả công nhận qua Zalo. Tôi có thể tắt bất cứ lúc nào.',
  },
};

export const consentTextHash = (purpose: ConsentPurpose) =>
  createHash('sha256').update(`${CONSENT_VERSION}\n${CONSENT_TEXTS[purpose].text}`).digest('hex');
