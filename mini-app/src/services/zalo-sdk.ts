// The zmp-sdk functions the app calls, and nothing else: services/zalo.ts imports this module
// dynamically, so the SDK becomes one small chunk loaded only inside Zalo. (A dynamic import of
// 'zmp-sdk/apis' itself would bundle the whole SDK, ~60 KB gzip, since Rollup cannot tree-shake a
// namespace fetched at run time.) The wrappers that validate their arguments bring zmp-sdk's own
// zod 3 (chooseImage, getUserInfo, openShareSheet, showToast): only the SDK's internal modules
// avoid it, and those are not a public API.
export { chooseImage, getAccessToken, getPhoneNumber, getUserInfo, openShareSheet, showToast } from 'zmp-sdk/apis';
