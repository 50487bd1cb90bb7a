import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cle1, cle2, numDette, pesAmount, pesText, pesXml, perOf } from './pes.domain.ts';
import { childNamed, parseXml, type XmlElement } from '../../platform/payfip/xml.ts';

const CODES = { sigle: 'Ville de Beauval', adresse: '1 place de la Mairie', idPost: '0620000', idColl: '21620999900017', codCol: '001', codBud: '01', nature: '7067', codProdLoc: 'ENF' };
const all = (el: XmlElement, name: string): XmlElement[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
const v = (el: XmlElement | null) => el?.attributes.V;

describe('PES V2 ORMC : règles pures', () => {
  test('clés de contrôle, vecteurs calculés avec la référence Python de protocols.md §4.3', () => {
    const d = numDette('F-2026-000001');
    assert.equal(d, '0002026000001');
    assert.equal(cle1(['001', '1', '26', '11', d]), 1);
    assert.equal(cle2(['26', '11', '00', d]), 'E');
    const d2 = numDette('F-2026-000042');
    assert.equal(cle1(['001', '17', '26', '9', d2]), 9);
    assert.equal(cle2(['26', '9', '00', d2]), 'V');
    assert.equal(cle1(['A12']), 4, 'a letter counts as 0');
  });
  test('textes : majuscules, sans accents ni ligatures, sans saut de ligne, tronqués', () => {
    assert.equal(pesText('Lefèvre-Œuvray\nÉlodie  ß', 100), 'LEFEVRE-OEUVRAY ELODIE SS');
    assert.equal(pesText('Zoë 😀 Ünal', 100), 'ZOE UNAL');
    assert.equal(pesText('abcdef', 3), 'ABC');
  });
  test('montants avec un point et deux décimales ; période', () => {
    assert.equal(pesAmount(2250), '22.50');
    assert.equal(pesAmount(5), '0.05');
    assert.equal(pesAmount(123456), '1234.56');
    assert.equal(perOf('2026-09'), '9');
    assert.equal(perOf('2026-11'), '11');
  });
  test('fichier : en-tête ISO-8859-1, structure, totaux, clés, échappement', () => {
    const bytes = pesXml(CODES, {
      year: 2026,
      idBord: 17,
      month: '2026-09',
      date: '2026-10-02',
      fileName: 'PES.xml',
      objet: 'Régie enfance septembre 2026',
      invoices: [
        { number: 'F-2026-000042', amountCents: 1360, payerName: 'Lefèvre & Fils', payerFirstName: 'Zoë', payerCivility: 'MME', addressLine: '3 rue des Écoles', postcode: '62160', city: 'Beauval' },
        { number: 'F-2026-000043', amountCents: 890, payerName: 'Martin', payerFirstName: null, payerCivility: null, addressLine: '1 rue de la Paix', postcode: '62160', city: 'Beauval' },
      ],
    });
    assert.ok(bytes.every((b) => b < 0x80), 'only one-byte characters');
    const text = bytes.toString('latin1');
    assert.ok(text.startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>'));
    const root = parseXml(text);
    assert.equal(root.name, 'PES_Aller');
    const env = childNamed(root, 'Enveloppe')!;
    assert.equal(v(childNamed(childNamed(env, 'Parametres')!, 'TypFic')), 'PESORMC');
    const head = childNamed(root, 'EnTetePES')!;
    assert.equal(v(childNamed(head, 'IdColl')), '21620999900017');
    assert.equal(v(childNamed(head, 'IdPost')), '0620000');
    const bloc = all(root, 'BlocBordereau')[0];
    assert.equal(v(childNamed(bloc, 'TypBord')), '06');
    assert.equal(v(childNamed(bloc, 'NbrPce')), '2');
    assert.equal(v(childNamed(bloc, 'MtBordHt')), '22.50');
    assert.equal(v(childNamed(bloc, 'Objet')), 'REGIE ENFANCE SEPTEMBRE 2026');
    const pieces = all(root, 'Piece');
    assert.equal(pieces.length, 2);
    const sum = all(root, 'MtHT').reduce((s, e) => s + Math.round(Number(v(e)) * 100), 0);
    assert.equal(sum, 2250);
    const first = childNamed(pieces[0], 'BlocPiece')!;
    assert.equal(v(childNamed(first, 'NumDette')), '0002026000042');
    assert.equal(v(childNamed(first, 'Per')), '9');
    assert.equal(v(childNamed(first, 'Cle1')), '9');
    assert.equal(v(childNamed(first, 'Cle2')), 'V');
    assert.equal(v(all(pieces[0], 'Nom')[0]), 'LEFEVRE & FILS');
    assert.match(text, /<Nom V="LEFEVRE &amp; FILS"\/>/);
    assert.equal(v(all(pieces[0], 'Civilite')[0]), 'MME');
    assert.equal(all(pieces[1], 'Prenom').length, 0);
    assert.equal(v(all(pieces[0], 'Adr2')[0]), '3 RUE DES ECOLES');
    assert.equal(v(all(pieces[0], 'Nature')[0]), '7067');
  });
});
