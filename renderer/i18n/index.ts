/**
 * UI words. zh-CN first (the seed's own terms), English as an option. Reasons (blocked orders, printer
 * faults, station errors) are not repeated here: they come with their codes from shared/.
 */
import { blockReasonText, chinaMinute, type BlockReason, type Lang } from '../../shared/domain/index.ts';
import {
  DEFERRED_REASONS,
  STATION_BLOCK_REASONS,
  type LabelBlockReason,
  type StationErrorBody,
} from '../../shared/ipc/index.ts';

const WORDS = {
  appTitle: { zh: '代发打单站', en: 'Daifa print station' },
  switchLang: { zh: 'English', en: '中文' },
  // navigation
  orders: { zh: '订单', en: 'Orders' },
  batchPrint: { zh: '批量打印', en: 'Batch print' },
  batches: { zh: '打印批次', en: 'Batches' },
  scan: { zh: '扫码打印', en: 'Scan to print' },
  printLog: { zh: '打印记录', en: 'Print log' },
  alerts: { zh: '拦截提醒', en: 'Intercepts' },
  printers: { zh: '打印机', en: 'Printers' },
  today: { zh: '今日统计', en: 'Today' },
  settings: { zh: '设置', en: 'Settings' },
  pairing: { zh: '配对', en: 'Pairing' },
  // status bar
  online: { zh: '已连接平台', en: 'Hub online' },
  offline: { zh: '平台离线', en: 'Hub offline' },
  lastSync: { zh: '最近同步', en: 'Last sync' },
  never: { zh: '从未', en: 'never' },
  pendingReturns: { zh: '待回传', en: 'Returns pending' },
  unverifiedPrints: { zh: '离线未核验', en: 'Unverified prints' },
  offlineBanner: {
    zh: '平台离线：按离线策略继续打印已取号的订单，回传将在联网后自动补传',
    en: 'Hub offline: prepared orders print under the offline policy; returns are sent when it is back',
  },
  followerBanner: {
    zh: '另一个窗口正在运行打印引擎，本窗口仅供查看',
    en: 'Another window runs the print engines; this one is view-only',
  },
  connectionLost: {
    zh: '与打印站服务的连接已失效（服务已重启）。请使用打印站启动时给出的新地址打开。',
    en: 'The connection to the station service is gone (it restarted). Open the new address it printed.',
  },
  // pairing
  hubUrl: { zh: '平台地址', en: 'Hub address' },
  pairingCode: { zh: '配对码', en: 'Pairing code' },
  stationName: { zh: '打印站名称', en: 'Station name' },
  pair: { zh: '配对', en: 'Pair' },
  pairHint: {
    zh: '在厂家后台“打印站”中生成一次性配对码（10 分钟内有效）。',
    en: 'Create a one-time pairing code in the factory console (Stations); it is valid for 10 minutes.',
  },
  paired: { zh: '已配对', en: 'Paired' },
  factory: { zh: '厂家', en: 'Factory' },
  // orders
  search: { zh: '搜索订单号或运单号', en: 'Search order sn or tracking no.' },
  allStatuses: { zh: '全部状态', en: 'All statuses' },
  viewPrintable: { zh: '可打印', en: 'Printable' },
  viewBlocked: { zh: '已拦截', en: 'Blocked' },
  viewPrinted: { zh: '已打印', en: 'Printed' },
  viewReturned: { zh: '已回传', en: 'Returned' },
  viewShipped: { zh: '已发货', en: 'Shipped' },
  merchant: { zh: '商家', en: 'Merchant' },
  allMerchants: { zh: '全部商家', en: 'All merchants' },
  sku: { zh: '商品/SKU', en: 'Goods/SKU' },
  allSkus: { zh: '全部商品', en: 'All goods' },
  courier: { zh: '快递公司', en: 'Courier' },
  allCouriers: { zh: '全部快递', en: 'All couriers' },
  dateFrom: { zh: '开始日期', en: 'From' },
  dateTo: { zh: '结束日期', en: 'To' },
  clearFilters: { zh: '清除筛选', en: 'Clear filters' },
  selectAll: { zh: '全选筛选结果', en: 'Select all filtered' },
  selectPage: { zh: '选择本页', en: 'Select this page' },
  clearSelection: { zh: '取消选择', en: 'Clear selection' },
  selected: { zh: '已选', en: 'Selected' },
  orderSn: { zh: '订单号', en: 'Order sn' },
  goods: { zh: '商品', en: 'Goods' },
  quantity: { zh: '数量', en: 'Qty' },
  receiver: { zh: '收件人', en: 'Receiver' },
  status: { zh: '状态', en: 'Status' },
  waybillNo: { zh: '运单号', en: 'Tracking no.' },
  createdAt: { zh: '下单时间', en: 'Ordered' },
  batchCreatedAt: { zh: '创建时间', en: 'Created' },
  noOrders: { zh: '没有符合条件的订单', en: 'No orders match' },
  loadingOrders: { zh: '正在载入全部订单…', en: 'Loading all orders…' },
  syncNow: { zh: '立即同步', en: 'Sync now' },
  printingElsewhere: { zh: '其他打印站正在打印', en: 'Printing elsewhere' },
  // batch print
  printer: { zh: '打印机', en: 'Printer' },
  template: { zh: '面单模板', en: 'Template' },
  sortBySku: { zh: '按 SKU 排序', en: 'Sort by SKU' },
  confirmPrint: { zh: '确认打印', en: 'Confirm print' },
  prepareOnly: { zh: '先取号，稍后打印', en: 'Take numbers now, print later' },
  cancel: { zh: '取消', en: 'Cancel' },
  close: { zh: '关闭', en: 'Close' },
  willPrint: { zh: '将打印', en: 'Will print' },
  willBlock: { zh: '已拦截，不会打印', en: 'Blocked, will not print' },
  alreadyDone: { zh: '已打印/已回传，不会重复打印', en: 'Printed or returned, not printed again' },
  takeover: { zh: '接管其他打印站的订单', en: 'Take over orders held by another station' },
  takeoverReason: { zh: '接管原因', en: 'Takeover reason' },
  progress: { zh: '进度', en: 'Progress' },
  rate: { zh: '张/秒', en: 'labels/s' },
  eta: { zh: '预计剩余', en: 'ETA' },
  pause: { zh: '暂停', en: 'Pause' },
  resume: { zh: '继续', en: 'Resume' },
  cancelBatch: { zh: '取消批次', en: 'Cancel batch' },
  continueFromHere: { zh: '从这里继续打印', en: 'Continue from here' },
  pickingList: { zh: '备货单', en: 'Picking list' },
  showOnly: { zh: '只看', en: 'Show' },
  printPickingList: { zh: '打印备货单', en: 'Print picking list' },
  savePickingList: { zh: '保存为文件', en: 'Save as file' },
  savedTo: { zh: '已保存到', en: 'Saved to' },
  stateQueued: { zh: '排队中', en: 'Queued' },
  stateSending: { zh: '打印中', en: 'Printing' },
  stateSent: { zh: '已打印', en: 'Printed' },
  stateBlocked: { zh: '已拦截', en: 'Blocked' },
  stateFailed: { zh: '失败', en: 'Failed' },
  stateInDoubt: { zh: '待确认', en: 'In doubt' },
  stateCancelled: { zh: '已取消', en: 'Cancelled' },
  batchReady: { zh: '待打印', en: 'Ready' },
  batchPrinting: { zh: '打印中', en: 'Printing' },
  batchPaused: { zh: '已暂停', en: 'Paused' },
  batchDone: { zh: '已完成', en: 'Done' },
  batchCancelled: { zh: '已取消', en: 'Cancelled' },
  noBatches: {
    zh: '还没有打印批次。在“订单”中选择订单后点“批量打印”。',
    en: 'No batches yet. Select orders in Orders, then Batch print.',
  },
  unverified: { zh: '离线未核验', en: 'unverified' },
  // in doubt
  inDoubtTitle: { zh: '有面单打印状态不确定', en: 'Labels in doubt' },
  inDoubtText: {
    zh: '打印站在打印这些面单时中断了。请查看打印机是否已打出，再逐张确认。未确认前不会重打。',
    en: 'The station stopped while printing these labels. Check the printer, then confirm each. Nothing is reprinted until you do.',
  },
  itPrinted: { zh: '已打出', en: 'It printed' },
  itDidNotPrint: { zh: '没有打出', en: 'It did not print' },
  // reprint
  reprint: { zh: '重打', en: 'Reprint' },
  reprintReason: { zh: '重打原因（必填）', en: 'Reason (required)' },
  reprintPin: { zh: '重打密码', en: 'Reprint PIN' },
  reprintLocked: { zh: '重打已锁定，需要密码', en: 'Reprint is locked by a PIN' },
  // scan
  scanHint: {
    zh: '扫描订单号打印该单；扫描 SKU 条码打印该 SKU 的下一单；扫描运单号查看打印记录。',
    en: 'Scan an order sn to print it; a SKU code prints its next single-SKU order; a tracking number shows its history.',
  },
  scanField: { zh: '扫码框', en: 'Scan field' },
  scanOk: { zh: '已打印', en: 'Printed' },
  scanBlocked: { zh: '已拦截', en: 'Blocked' },
  scanNotFound: { zh: '未找到', en: 'Not found' },
  scanNothingForSku: { zh: '该 SKU 没有可打印的单件订单', en: 'No printable single-SKU order for this SKU' },
  history: { zh: '打印历史', en: 'Print history' },
  // print log
  time: { zh: '时间', en: 'Time' },
  station: { zh: '打印站', en: 'Station' },
  result: { zh: '结果', en: 'Result' },
  returnState: { zh: '回传', en: 'Return' },
  returnPending: { zh: '待回传', en: 'Pending' },
  returnReturned: { zh: '已回传', en: 'Returned' },
  returnRejected: { zh: '被拒', en: 'Rejected' },
  returnNone: { zh: '—', en: '—' },
  kindPrint: { zh: '打印', en: 'Print' },
  kindReprint: { zh: '重打', en: 'Reprint' },
  kindInDoubt: { zh: '确认已打出', en: 'Confirmed printed' },
  // alerts
  interceptAlert: { zh: '拦截提醒：请取出此包裹', en: 'Intercept: pull this parcel' },
  acknowledge: { zh: '已处理', en: 'Acknowledge' },
  noAlerts: { zh: '没有待处理的拦截提醒', en: 'No intercepts to handle' },
  alertsPending: { zh: '个包裹需要拦截', en: 'parcels to pull' },
  // printers
  discover: { zh: '检测打印机', en: 'Discover printers' },
  addPrinter: { zh: '添加打印机', en: 'Add printer' },
  printerName: { zh: '名称', en: 'Name' },
  printerAddress: { zh: '地址', en: 'Address' },
  printerLanguage: { zh: '打印语言', en: 'Language' },
  dpi: { zh: '分辨率', en: 'Resolution' },
  darkness: { zh: '浓度', en: 'Darkness' },
  speed: { zh: '速度', en: 'Speed' },
  gap: { zh: '标签间隙 (mm)', en: 'Label gap (mm)' },
  direction: { zh: '出纸方向', en: 'Direction' },
  directionTopFirst: { zh: '顶部先出', en: 'Top edge first' },
  directionTurned: { zh: '旋转 180°', en: 'Turned 180°' },
  offsetX: { zh: '水平偏移 (mm)', en: 'X offset (mm)' },
  offsetY: { zh: '垂直偏移 (mm)', en: 'Y offset (mm)' },
  testPage: { zh: '打印测试页', en: 'Print a test page' },
  checkStatus: { zh: '查询状态', en: 'Check status' },
  setDefault: { zh: '设为默认', en: 'Make default' },
  isDefault: { zh: '默认', en: 'Default' },
  remove: { zh: '删除', en: 'Remove' },
  save: { zh: '保存', en: 'Save' },
  preview: { zh: '预览', en: 'Preview' },
  ready: { zh: '就绪', en: 'Ready' },
  fault: { zh: '故障', en: 'Fault' },
  unknown: { zh: '未知（单向连接）', en: 'Unknown (one-way link)' },
  unreachable: { zh: '无法连接', en: 'Unreachable' },
  forTemplate: { zh: '用于模板', en: 'For template' },
  found: { zh: '检测到的打印机', en: 'Found printers' },
  add: { zh: '添加', en: 'Add' },
  // settings
  offlinePolicy: { zh: '离线策略', en: 'Offline policy' },
  policyBlock: { zh: '离线时不打印', en: 'Do not print offline' },
  policyGrace: { zh: '离线宽限（分钟）', en: 'Offline grace (minutes)' },
  language: { zh: '语言', en: 'Language' },
  defaultCourier: { zh: '默认快递', en: 'Default courier' },
  setPin: { zh: '设置重打密码', en: 'Set reprint PIN' },
  clearPin: { zh: '取消重打密码', en: 'Remove reprint PIN' },
  currentPin: { zh: '当前密码', en: 'Current PIN' },
  newPin: { zh: '新密码（4–8 位数字）', en: 'New PIN (4–8 digits)' },
  saved: { zh: '已保存', en: 'Saved' },
  // today
  printedToday: { zh: '今日打印', en: 'Printed today' },
  returnedToday: { zh: '今日回传', en: 'Returned today' },
  blockedToday: { zh: '今日拦截', en: 'Blocked today' },
  failedToday: { zh: '今日失败', en: 'Failed today' },
  byHour: { zh: '按小时', en: 'By hour' },
  // misc
  shortcuts: {
    zh: '快捷键：Alt+1…8 切换页面，Ctrl+A 全选，Ctrl+P 批量打印，F2 扫码框，Esc 关闭对话框',
    en: 'Shortcuts: Alt+1…8 switch pages, Ctrl+A select all, Ctrl+P batch print, F2 scan field, Esc close dialogs',
  },
} as const;

export type WordKey = keyof typeof WORDS;

export function t(key: WordKey, lang: Lang = 'zh'): string {
  return WORDS[key][lang];
}

export function reasonText(reason: LabelBlockReason, lang: Lang = 'zh'): string {
  return reason === 'already_printed'
    ? STATION_BLOCK_REASONS.already_printed[lang]
    : blockReasonText(reason as BlockReason, lang);
}

export function deferredText(reason: keyof typeof DEFERRED_REASONS, lang: Lang = 'zh'): string {
  return DEFERRED_REASONS[reason][lang];
}

export function errorText(e: Pick<StationErrorBody, 'message' | 'messageEn'>, lang: Lang): string {
  return lang === 'zh' ? e.message : e.messageEn;
}

/** China time (the station's day), as a worker reads it: 2026-11-30 14:05. */
export function chinaTime(iso: string | null | undefined): string {
  return iso ? chinaMinute(iso) : '—';
}
