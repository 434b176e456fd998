import { CLICK_ID_PARAMS, clickIdOf, withReferrer } from '../../../functions/shared/traffic/click-ids';
import { urlParts } from '../../../functions/shared/traffic/url-parts';

const params = (query: string) => new URLSearchParams(query);

describe('clickIdOf', () => {
  it.each([
    ['gclid=Cj0KCQiA', 'gclid', 'google_ads', 'google_ads'],
    ['gbraid=0AAAAA', 'gbraid', 'google_ads', 'google_ads'],
    ['wbraid=CkMKCQ', 'wbraid', 'google_ads', 'google_ads'],
    ['dclid=CJKu8LrQ', 'dclid', 'google_marketing_platform', 'google_marketing_platform'],
    ['msclkid=5d7c', 'msclkid', 'microsoft_ads', 'none'],
    ['fbclid=IwAR0abc', 'fbclid', 'meta', 'none'],
    ['ttclid=E.C.P', 'ttclid', 'tiktok', 'none'],
    ['li_fat_id=4f2e', 'li_fat_id', 'linkedin', 'none'],
    ['twclid=2-abc', 'twclid', 'x', 'none'],
    ['epik=dj0y', 'epik', 'pinterest', 'none'],
    ['ScCid=7c1', 'ScCid', 'snapchat', 'none'],
    ['rdt_cid=t2_', 'rdt_cid', 'reddit', 'none'],
    ['yclid=123', 'yclid', 'yandex', 'none'],
    ['irclickid=QW', 'irclickid', 'impact', 'none'],
  ])('reads %s as %s of %s', (query, param, clickNetwork, effect) => {
    expect(clickIdOf(params(query))).toEqual({ param, clickId: query.slice(query.indexOf('=') + 1), clickNetwork, effect });
  });

  it('keeps the id exactly as sent: ids are case-sensitive', () => {
    expect(clickIdOf(params('gclid=AbC-_x%2B1'))?.clickId).toBe('AbC-_x+1');
  });

  it('reads parameter names exactly', () => {
    expect(clickIdOf(params('GCLID=abc'))).toBeNull();
    expect(clickIdOf(params('Fbclid=abc'))).toBeNull();
  });

  it('takes the first of several in table order, Google first whatever the URL order', () => {
    expect(clickIdOf(params('fbclid=f&gclid=g'))).toMatchObject({ param: 'gclid', clickId: 'g' });
    expect(clickIdOf(params('msclkid=m&dclid=d'))).toMatchObject({ param: 'dclid' });
    expect(clickIdOf(params('ttclid=t&fbclid=f'))).toMatchObject({ param: 'fbclid' });
  });

  it('skips an empty id and finds none in a URL without one', () => {
    expect(clickIdOf(params('gclid=&fbclid=f'))).toMatchObject({ param: 'fbclid' });
    expect(clickIdOf(params('utm_source=a'))).toBeNull();
    expect(clickIdOf(new Map([['gclid', 'g']]))).toMatchObject({ param: 'gclid' });
  });

  it("tells Yahoo! JAPAN's yclid from Yandex's by the referrer", () => {
    expect(clickIdOf(params('yclid=1'), 'search.yahoo.co.jp')?.clickNetwork).toBe('yahoo_japan');
    expect(clickIdOf(params('yclid=1'), 'yandex.ru')?.clickNetwork).toBe('yandex');
    expect(clickIdOf(params('yclid=1'), 'notyahoo.co.jp')?.clickNetwork).toBe('yandex');
  });

  it('gives the channel to Google Ads and DV360/CM360 ids only', () => {
    expect(CLICK_ID_PARAMS.filter((p) => p.effect !== 'none').map((p) => p.param)).toEqual(['gclid', 'gbraid', 'wbraid', 'dclid']);
  });

  it("gives a URL's cached click id, settled by the referrer, the same answer as reading the query with the referrer", () => {
    for (const query of ['yclid=1', 'gclid=g&fbclid=f', 'ttclid=t', 'utm_source=a', 'gclid=', 'ScCid=s']) {
      for (const referrerHost of [null, 'search.yahoo.co.jp', 'yandex.ru']) {
        const cached = withReferrer(urlParts(`https://shop.example/p?${query}`).click, referrerHost);
        expect(cached).toEqual(clickIdOf(params(query), referrerHost));
      }
    }
    expect(urlParts('https://shop.example/p').click).toBeNull();
  });
});
