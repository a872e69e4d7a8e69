/**
 * UI words. zh-CN first (the seed's own terms), English as an option. Reason texts are not repeated
 * here: they live with the rules in shared/domain/reasons.ts.
 */
import { blockReasonText, type BlockReason, type Lang } from '../../shared/domain/index.ts';

const WORDS = {
  allocate: { zh: '分配', en: 'Allocate' },
  batchAllocate: { zh: '批量分配', en: 'Batch allocate' },
  cancelAllocation: { zh: '取消分配', en: 'Cancel allocation' },
  returnWaybill: { zh: '回传运单号', en: 'Return tracking number' },
  ship: { zh: '发货', en: 'Ship' },
  batchShip: { zh: '批量发货', en: 'Batch ship' },
  statement: { zh: '对账单', en: 'Statement' },
  refreshList: { zh: '刷新列表', en: 'Refresh list' },
  download: { zh: '下载', en: 'Download' },
  settlementPrice: { zh: '结算价格', en: 'Settlement price' },
  batchPrint: { zh: '批量打印', en: 'Batch print' },
  blocked: { zh: '已拦截', en: 'Blocked' },
  interceptAlert: { zh: '拦截提醒：请取出此包裹', en: 'Intercept: pull this parcel' },
} as const;

export type WordKey = keyof typeof WORDS;

export function t(key: WordKey, lang: Lang = 'zh'): string {
  return WORDS[key][lang];
}

export function reasonText(reason: BlockReason, lang: Lang = 'zh'): string {
  return blockReasonText(reason, lang);
}
