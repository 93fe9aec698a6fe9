import { z } from 'zod';

/**
 * Every error code the API answers with (`code` in the error body), its HTTP status and its
 * default Vietnamese message. The server throws only these codes (its error helpers are typed on
 * this registry) and the mini app can switch on them. Messages at the throw site may be more
 * specific (naming the indicator, the date, …); the default here is what a client shows when it
 * has nothing better. Fastify's own 4xx codes (FST_ERR_…, e.g. malformed JSON) pass through as-is.
 */
export const ERRORS = {
  IMPORT_NO_HEADER_PERSONS: {
    status: 400,
    message: 'Không tìm thấy dòng tiêu đề. Tệp cần cột Họ tên và cột Mã hộ (hoặc Ấp, Tổ, Chủ hộ) hoặc Đơn vị.',
  },
  IMPORT_NO_HEADER_UNITS: {
    status: 400,
    message: 'Không tìm thấy dòng tiêu đề. Tệp cần các cột: Mã tỉnh, Tên tỉnh, Mã xã, Tên xã.',
  },
  IMPORT_MERGED_CELLS: {
    status: 400,
    message: 'Tệp có ô gộp (merge cells) trong vùng dữ liệu. Hãy bỏ gộp ô và điền đủ giá trị cho từng dòng.',
  },
  UNIT_ADMIN_ONLY: { status: 403, message: 'Chỉ quản trị viên mới được thêm, đổi tên hoặc sáp nhập tỉnh và xã.' },
  UNIT_WRITE_NOT_ALLOWED: { status: 403, message: 'Chỉ cán bộ xã mới được thêm hoặc sửa ấp và tổ của xã.' },
  UNIT_CODE_TAKEN: { status: 409, message: 'Mã đơn vị hành chính này đang được một đơn vị khác sử dụng.' },
  UNIT_PARENT_INVALID: {
    status: 400,
    message: 'Đơn vị cấp trên không đúng cấp (tỉnh → xã → ấp → tổ) hoặc đã hết hiệu lực.',
  },
  UNIT_NAME_TAKEN: { status: 409, message: 'Đã có đơn vị cùng tên ở cấp này.' },
  UNIT_ENDED: { status: 409, message: 'Đơn vị hành chính này đã hết hiệu lực (đã sáp nhập), không thể sửa.' },
  UNIT_MERGE_INVALID: {
    status: 400,
    message: 'Chỉ sáp nhập được các xã (hoặc tỉnh) đang còn hiệu lực, cùng cấp, vào một đơn vị khác.',
  },
  UNIT_MERGE_OPEN_CAMPAIGN: {
    status: 409,
    message: 'Xã bị sáp nhập còn đợt đánh giá đang mở. Hãy đóng đợt trước khi sáp nhập.',
  },
  ORG_UNIT_WRITE_NOT_ALLOWED: { status: 403, message: 'Chỉ cán bộ xã mới được sửa đơn vị.' },
  CLAN_WRITE_NOT_ALLOWED: { status: 403, message: 'Chỉ cán bộ xã mới được sửa dòng họ.' },
  PERSON_ALREADY_LINKED: {
    status: 409,
    message: 'Người này đã liên kết với một tài khoản Zalo khác. Vui lòng liên hệ cán bộ xã.',
  },
  ACCOUNT_HAS_PERSON: {
    status: 409,
    message: 'Tài khoản của bạn đã liên kết với một người khác trong danh sách. Vui lòng liên hệ cán bộ xã để đổi.',
  },
  HOUSEHOLD_REQUIRED_FOR_PERSON: { status: 400, message: 'Người này phải thuộc một hộ hoặc một đơn vị.' },
  ALREADY_LINKED: {
    status: 409,
    message: 'Tài khoản của bạn đã liên kết với một hộ khác. Vui lòng liên hệ cán bộ xã để đổi.',
  },
  ANSWER_INVALID: { status: 400, message: 'Điểm chấm không hợp lệ.' },
  ASSESSMENT_EXISTS: { status: 409, message: 'Đối tượng này đã được đăng ký trong đợt đánh giá.' },
  ASSESSMENT_ID_TAKEN: { status: 409, message: 'Mã hồ sơ đã được dùng cho một đối tượng khác.' },
  ASSIST_NOT_ALLOWED: { status: 404, message: 'Không tìm thấy hộ này trong tổ bạn phụ trách.' },
  BAD_CURSOR: { status: 400, message: 'Con trỏ phân trang không hợp lệ.' },
  BAD_REQUEST: { status: 400, message: 'Yêu cầu không hợp lệ.' },
  BAD_STATE: { status: 400, message: 'Trạng thái không hợp lệ.' },
  BUSY: { status: 503, message: 'Hệ thống đang bận xử lý ảnh, vui lòng thử lại sau ít phút.' },
  CAMPAIGN_CLOSED: { status: 409, message: 'Đợt đánh giá đã đóng, không thể thay đổi hồ sơ.' },
  CAMPAIGN_EXISTS: { status: 409, message: 'Xã đã có đợt đánh giá năm này; mỗi xã mỗi năm một đợt.' },
  CAMPAIGN_IN_USE: { status: 409, message: 'Đợt đánh giá đã có hồ sơ, không thể đổi bộ tiêu chí.' },
  CARRY_OVER_UNKNOWN: {
    status: 400,
    message: 'Chỉ số này không có câu trả lời năm trước để dùng lại.',
  },
  CLAN_EXISTS: { status: 409, message: 'Xã đã có dòng họ cùng tên.' },
  CLAN_NOT_FOUND: { status: 404, message: 'Không tìm thấy dòng họ.' },
  CLAN_NOT_IN_COMMUNE: { status: 400, message: 'Dòng họ không thuộc xã này.' },
  COMMUNE_REQUIRED: { status: 400, message: 'Bạn phụ trách nhiều xã: hãy chọn xã (communeId).' },
  CONFLICT: { status: 409, message: 'Dữ liệu vừa thay đổi, vui lòng tải lại và thử lại.' },
  CONFLICT_OF_INTEREST: {
    status: 403,
    message: 'Bạn không được xác minh hồ sơ của chính gia đình (hoặc đơn vị) mình.',
  },
  CONFLICT_OF_INTEREST_ASSISTED: {
    status: 403,
    message: 'Bạn đã nhập thay hồ sơ này nên không được tự xác minh. Hãy nhờ trưởng ấp hoặc cán bộ xã xác minh.',
  },
  CONFLICT_OF_INTEREST_CLAN: {
    status: 403,
    message: 'Bạn không được xác minh hộ cùng dòng họ với mình (theo cài đặt của đợt đánh giá).',
  },
  CONSENT_REQUIRED: {
    status: 403,
    message: 'Bạn cần đồng ý cho phép sử dụng thông tin trước khi thực hiện thao tác này.',
  },
  CONSENT_TEXT_OUTDATED: { status: 400, message: 'Nội dung đồng ý đã được cập nhật. Vui lòng đọc lại và xác nhận.' },
  CORRUPT_IMAGE: { status: 422, message: 'Không đọc được ảnh: tệp bị hỏng hoặc không đúng định dạng.' },
  CRITERIA_SET_EXISTS: { status: 409, message: 'Mã bộ tiêu chí trùng với bộ tiêu chí quốc gia, hãy đặt mã khác.' },
  CRITERIA_SET_ID_MISMATCH: { status: 400, message: 'Mã trong tệp khác mã bộ tiêu chí đang sửa.' },
  CRITERIA_SET_INVALID: { status: 400, message: 'Bộ tiêu chí không hợp lệ.' },
  CRITERIA_SET_IN_USE: { status: 409, message: 'Bộ tiêu chí đang được đợt đánh giá sử dụng, không thể thay đổi.' },
  CRITERIA_SET_MISMATCH: { status: 400, message: 'Bộ tiêu chí không phù hợp.' },
  CROSS_COMMUNE_MOVE: { status: 400, message: 'Không thể chuyển hộ sang xã khác.' },
  DATABASE_UNAVAILABLE: {
    status: 503,
    message: 'Hệ thống tạm thời không truy cập được cơ sở dữ liệu, vui lòng thử lại sau ít phút.',
  },
  DEADLINE_PASSED: { status: 409, message: 'Đã quá hạn của giai đoạn này. Cần cán bộ xã mở lại giai đoạn.' },
  DECISION_NUMBER_TAKEN: { status: 409, message: 'Số quyết định này đã được dùng trong đợt đánh giá.' },
  EMPTY_FILE: { status: 400, message: 'Tệp ảnh rỗng.' },
  EVIDENCE_FAILED: { status: 409, message: 'Ảnh này bị lỗi và không hiển thị được. Vui lòng gửi lại ảnh khác.' },
  EVIDENCE_PROCESSING: { status: 409, message: 'Ảnh đang được xử lý, vui lòng xem lại sau ít giây.' },
  FILE_REQUIRED: { status: 400, message: 'Thiếu tệp ảnh (trường "file").' },
  FORBIDDEN: { status: 403, message: 'Bạn không có quyền thực hiện thao tác này.' },
  GROUP_NOT_FOUND: { status: 404, message: 'Không tìm thấy tổ.' },
  HAMLET_NOT_IN_COMMUNE: { status: 400, message: 'Ấp không thuộc xã này.' },
  HAMLET_REQUIRED: { status: 400, message: 'Chọn một ấp/khóm.' },
  HOUSEHOLD_EXISTS: {
    status: 409,
    message: 'Hộ này đã có trong danh sách của xã (trùng mã hộ hoặc trùng chủ hộ và địa chỉ).',
  },
  HOUSEHOLD_NOT_FOUND: { status: 404, message: 'Không tìm thấy hộ gia đình.' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, message: 'Thiếu tiêu đề Idempotency-Key.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'Idempotency-Key này đã được dùng cho một yêu cầu khác.' },
  IMPORT_ALREADY_COMMITTED: { status: 409, message: 'Lần nhập này đã được ghi vào danh sách rồi.' },
  IMPORT_EMPTY: { status: 400, message: 'Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.' },
  IMPORT_ENCODING: {
    status: 400,
    message: 'Tệp CSV không ở dạng UTF-8. Trong Excel, hãy chọn "Lưu thành" → "CSV UTF-8".',
  },
  IMPORT_HAS_ERRORS: {
    status: 409,
    message: 'Bản xem trước còn dòng lỗi nên không ghi gì cả. Hãy sửa tệp và tải lên lại.',
  },
  IMPORT_NOT_FOUND: { status: 404, message: 'Không tìm thấy lần nhập này.' },
  IMPORT_NOT_MULTIPART: { status: 400, message: 'Hãy gửi tệp dạng multipart/form-data (trường "file").' },
  IMPORT_NO_FILE: { status: 400, message: 'Chưa có tệp nào được gửi lên.' },
  IMPORT_NO_HEADER: {
    status: 400,
    message:
      'Không tìm thấy dòng tiêu đề. Tệp cần các cột: Ấp, Tổ, Chủ hộ (có thể thêm Địa chỉ, Số nhân khẩu, SĐT, Dòng họ, Mã hộ).',
  },
  IMPORT_TOO_LARGE: { status: 413, message: 'Tệp lớn hơn 5 MB. Hãy chia nhỏ danh sách.' },
  IMPORT_TOO_MANY_ROWS: { status: 400, message: 'Tệp có quá nhiều dòng.' },
  IMPORT_TYPE: { status: 415, message: 'Chỉ nhận tệp .xlsx hoặc .csv.' },
  IMPORT_UNREADABLE: { status: 400, message: 'Không đọc được tệp Excel. Hãy mở và lưu lại tệp ở dạng .xlsx.' },
  IMPORT_XLS: {
    status: 415,
    message: 'Định dạng Excel cũ (.xls) chưa được hỗ trợ. Hãy lưu thành .xlsx hoặc CSV UTF-8.',
  },
  INDICATOR_UNKNOWN: { status: 400, message: 'Chỉ số không có trong bộ tiêu chí.' },
  INTERNAL: { status: 500, message: 'Hệ thống đang gặp sự cố, vui lòng thử lại sau.' },
  INVALID_TRANSITION: { status: 409, message: 'Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ.' },
  INVITE_EXPIRED: {
    status: 410,
    message: 'Mã mời đã hết hạn (mã chỉ dùng được trong 14 ngày). Vui lòng xin tổ trưởng cấp mã mới.',
  },
  INVITE_NOT_ALLOWED: { status: 403, message: 'Chỉ tổ trưởng của tổ hoặc cán bộ xã mới được cấp mã mời.' },
  INVITE_UNKNOWN: { status: 404, message: 'Mã mời không đúng. Vui lòng kiểm tra lại 8 ký tự trên phiếu mời.' },
  INVITE_USED: { status: 409, message: 'Mã mời này đã được sử dụng. Vui lòng xin tổ trưởng cấp mã mới.' },
  MILESTONES_ORDER: {
    status: 400,
    message:
      'Các mốc thời gian phải theo thứ tự: mở đăng ký ≤ hạn tự đánh giá ≤ hạn xác minh ≤ hạn công nhận ≤ hạn báo cáo.',
  },
  NOTHING_TO_DECIDE: { status: 409, message: 'Không có hồ sơ nào đã bình xét để ra quyết định.' },
  NOT_AN_OFFICER: { status: 404, message: 'Bạn không phụ trách xã nào để nhập danh sách.' },
  NOT_A_COMMUNE: { status: 400, message: 'Đơn vị được chọn không phải là xã/phường.' },
  NOT_EDITABLE: { status: 409, message: 'Không thể sửa điểm ở trạng thái hiện tại của hồ sơ.' },
  NOT_FOUND: { status: 404, message: 'Không tìm thấy dữ liệu.' },
  NOT_MULTIPART: { status: 415, message: 'Hãy gửi ảnh dạng multipart/form-data (trường "file").' },
  NOT_OFFICER: { status: 403, message: 'Chỉ cán bộ xã mới thực hiện được thao tác này.' },
  NOT_OWNER: {
    status: 403,
    message: 'Chỉ chủ hồ sơ (hoặc người được hỗ trợ nhập thay) mới thực hiện được thao tác này.',
  },
  NOT_VERIFIER: { status: 403, message: 'Bạn không có quyền xác minh hồ sơ này.' },
  NO_CRITERIA_SET: { status: 409, message: 'Đợt đánh giá chưa chọn bộ tiêu chí cho loại đối tượng này.' },
  ORG_UNIT_EXISTS: { status: 409, message: 'Xã đã có đơn vị cùng tên.' },
  ORG_UNIT_NOT_FOUND: { status: 404, message: 'Không tìm thấy đơn vị.' },
  OWNER_UNIT_REQUIRED: { status: 400, message: 'Bạn phụ trách nhiều xã: hãy chọn xã (ownerUnitId).' },
  NUL_CHARACTER: { status: 400, message: 'Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL).' },
  INVALID_TEXT: { status: 400, message: 'Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự Unicode bị cắt dở).' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Dữ liệu gửi lên quá lớn.' },
  PERSON_FILTER_REQUIRED: { status: 400, message: 'Cần chọn đúng một hộ (householdId) hoặc một đơn vị (unitId).' },
  PERSON_NOT_ALLOWED: {
    status: 403,
    message: 'Bạn chỉ được thêm thành viên cho hộ của mình (hoặc dùng chế độ hỗ trợ hộ).',
  },
  PERSON_NOT_FOUND: { status: 404, message: 'Không tìm thấy người này.' },
  PHONE_AMBIGUOUS: {
    status: 409,
    message: 'Có nhiều hộ cùng dùng số điện thoại này. Vui lòng nhập mã mời do tổ trưởng cấp để liên kết đúng hộ.',
  },
  PHONE_INVALID: { status: 400, message: 'Số điện thoại không hợp lệ.' },
  PHONE_NO_MATCH: {
    status: 404,
    message: 'Không tìm thấy hộ nào có số điện thoại này trong danh sách của xã. Vui lòng nhập mã mời của tổ trưởng.',
  },
  PHONE_REQUIRED: {
    status: 400,
    message: 'Bạn chưa xác minh số điện thoại trên Zalo. Vui lòng xác minh hoặc nhập mã mời của tổ trưởng.',
  },
  PIXEL_LIMIT: { status: 422, message: 'Ảnh có độ phân giải quá lớn.' },
  PROCESSING_FAILED: { status: 422, message: 'Không xử lý được ảnh này. Vui lòng chụp hoặc chọn ảnh khác.' },
  PREREQUISITE_DECISION_MISSING: {
    status: 409,
    message: 'Cần ra quyết định công nhận cho các thành viên trước, vì điều kiện của danh hiệu tính theo kết quả đó.',
  },
  READ_ONLY: { status: 403, message: 'Bạn chỉ được xem hồ sơ này, không được bình luận.' },
  REASON_REQUIRED: { status: 400, message: 'Cần ghi lý do khi điểm xác minh khác điểm tự chấm.' },
  REFRESH_EXPIRED: { status: 401, message: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.' },
  REFRESH_INVALID: { status: 401, message: 'Phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.' },
  REFRESH_REUSED: { status: 401, message: 'Phiên đăng nhập đã bị thu hồi vì lý do an toàn. Vui lòng đăng nhập lại.' },
  REGISTRATION_NOT_OPEN: { status: 409, message: 'Đợt đánh giá chưa mở đăng ký.' },
  REOPEN_NOTHING: { status: 400, message: 'Đợt đánh giá đang mở; hãy chọn giai đoạn cần mở lại (phase).' },
  REOPEN_UNTIL_PAST: { status: 400, message: 'Thời hạn mở lại phải sau thời điểm hiện tại.' },
  REOPEN_UNTIL_REQUIRED: { status: 400, message: 'Cần cho biết mở lại đến ngày nào (until).' },
  ROLE_EXISTS: { status: 409, message: 'Người này đã giữ vai trò đó ở đơn vị này.' },
  ROLE_LEVEL_MISMATCH: { status: 400, message: 'Vai trò này không gán được cho cấp đơn vị này.' },
  ROLE_NOT_ALLOWED: { status: 403, message: 'Chỉ quản trị hệ thống mới được bổ nhiệm cán bộ xã hoặc cấp tỉnh.' },
  ROLE_NOT_FOUND: { status: 404, message: 'Không tìm thấy phân công này.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'Không có đường dẫn này.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Hệ thống tạm thời không phục vụ được, vui lòng thử lại sau ít phút.' },
  SUBJECT_GROUP_REQUIRED: { status: 400, message: 'Cần chọn nhóm đối tượng (subjectGroup).' },
  SUBJECT_GROUP_UNKNOWN: { status: 400, message: 'Nhóm đối tượng không có trong bộ tiêu chí.' },
  TARGET_FORBIDDEN: { status: 404, message: 'Bạn không có quyền đặt chỉ tiêu cho đơn vị này.' },
  TARGET_LEVEL: { status: 400, message: 'Chỉ tiêu đặt cho xã hoặc tỉnh, không đặt cho ấp.' },
  TIMELINESS_LEVEL: { status: 400, message: 'Báo cáo tiến độ xem theo xã hoặc ấp.' },
  TOKEN_INVALID: { status: 401, message: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn.' },
  CERTIFICATE_UNKNOWN: {
    status: 404,
    message: 'Không tìm thấy giấy chứng nhận với mã này. Hãy kiểm tra lại mã in trên giấy.',
  },
  DECISION_REVOKED: { status: 409, message: 'Quyết định này đã bị thu hồi.' },
  VERIFY_RATE_LIMITED: {
    status: 429,
    message: 'Bạn tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng đợi một phút rồi thử lại.',
  },
  POSTING_EXISTS: { status: 409, message: 'Danh sách của ấp này đang được niêm yết.' },
  POSTING_WINDOW_INVALID: {
    status: 400,
    message: 'Thời gian niêm yết không hợp lệ: ngày kết thúc phải sau ngày bắt đầu.',
  },
  POSTING_NOT_OPEN: { status: 409, message: 'Danh sách không còn trong thời gian niêm yết, không thể góp ý.' },
  NOT_ON_POSTED_LIST: { status: 404, message: 'Không có tên này trong danh sách đang niêm yết.' },
  OBJECTION_OPEN_EXISTS: {
    status: 409,
    message: 'Bạn đã có một ý kiến đang chờ xử lý về trường hợp này. Vui lòng chờ cán bộ xã trả lời.',
  },
  OBJECTION_RESOLVED: { status: 409, message: 'Ý kiến này đã được xử lý.' },
  OBJECTION_RATE_LIMITED: {
    status: 429,
    message: 'Bạn đã gửi nhiều ý kiến trong thời gian ngắn. Vui lòng đợi ít phút rồi gửi tiếp.',
  },
  POSTING_BLOCKS_DECISION: {
    status: 409,
    message:
      'Chưa thể ra quyết định: danh sách còn đang niêm yết hoặc còn ý kiến chưa xử lý. Hãy chờ hết hạn niêm yết và xử lý các ý kiến, hoặc ghi rõ lý do để ra quyết định.',
  },
  TOKEN_REVOKED: { status: 401, message: 'Phiên đăng nhập đã bị thu hồi. Vui lòng đăng nhập lại.' },
  TOO_LARGE: { status: 413, message: 'Ảnh quá lớn.' },
  STORAGE_FULL: { status: 503, message: 'Máy chủ tạm hết chỗ lưu ảnh, vui lòng thử lại sau.' },
  UNANSWERED_INDICATORS: { status: 422, message: 'Chưa chấm xong, còn thiếu chỉ số.' },
  UNAUTHORIZED: { status: 401, message: 'Bạn cần đăng nhập lại.' },
  UNDER_PRESSURE: { status: 503, message: 'Hệ thống đang quá tải, vui lòng thử lại sau ít phút.' },
  UNIT_NOT_FOUND: { status: 404, message: 'Không tìm thấy đơn vị hành chính.' },
  UNPROCESSABLE: { status: 422, message: 'Không xử lý được yêu cầu này.' },
  UNSUPPORTED_HEIC: { status: 415, message: 'Ảnh HEIC chưa được hỗ trợ. Hãy chọn ảnh JPEG hoặc PNG.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Định dạng dữ liệu gửi lên không được hỗ trợ.' },
  UNSUPPORTED_TYPE: { status: 415, message: 'Chỉ nhận ảnh JPEG, PNG hoặc WebP.' },
  UPLOAD_INCOMPLETE: { status: 400, message: 'Tải ảnh lên bị gián đoạn, vui lòng thử lại.' },
  USER_INACTIVE: { status: 401, message: 'Tài khoản không tồn tại hoặc đã bị khóa.' },
  USER_NOT_FOUND: { status: 404, message: 'Không tìm thấy người dùng.' },
  VALIDATION_FAILED: { status: 400, message: 'Dữ liệu gửi lên không hợp lệ.' },
  VERSION_CONFLICT: { status: 409, message: 'Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.' },
  ZALO_MISCONFIGURED: { status: 502, message: 'Máy chủ chưa kết nối đúng với Zalo. Cán bộ kỹ thuật đã được báo.' },
  ZALO_NOT_CONFIGURED: { status: 503, message: 'Đăng nhập bằng Zalo chưa được cấu hình trên máy chủ này.' },
  ZALO_TOKEN_EXPIRED: { status: 401, message: 'Phiên Zalo đã hết hạn. Vui lòng đóng và mở lại ứng dụng.' },
  ZALO_TOKEN_INVALID: { status: 401, message: 'Không xác thực được tài khoản Zalo. Vui lòng mở lại ứng dụng.' },
  ZALO_UNAVAILABLE: { status: 503, message: 'Không kết nối được với Zalo. Vui lòng thử lại sau ít phút.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];
export const errorCodeSchema = z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]);

/** The codes answered with one HTTP status (the server's error helpers take only these). */
export type ErrorCodeWithStatus<S extends number> = {
  [K in ErrorCode]: (typeof ERRORS)[K]['status'] extends S ? K : never;
}[ErrorCode];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/** The default Vietnamese message of a code (a client's fallback when the body has none). */
export function errorMessage(code: ErrorCode): string {
  return ERRORS[code].message;
}
