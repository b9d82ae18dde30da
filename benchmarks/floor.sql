-- Floor queries for the harness's floor.py against this register's schema: per read scenario
-- the least set-based SQL that returns what the API response needs (count, page rows, the
-- related rows it embeds or references).  Run: see benchmarks/README.md.

-- scenario: a partij_by_bsn
SELECT p.*, array(SELECT b.uuid FROM klantcontacten_betrokkene b WHERE b.partij_id = p.id) AS betrokkenen
  FROM partijen_partij p
 WHERE p.soort_partij = 'persoon'
   AND EXISTS (SELECT 1 FROM partijen_partijidentificator pi
                WHERE pi.partij_id = p.id AND pi.code_objecttype = 'natuurlijk_persoon'
                  AND pi.code_soort_object_id = 'bsn' AND pi.object_id = %(bsn)s)
 ORDER BY p.id DESC LIMIT 100
;
SELECT pi2.* FROM partijen_partijidentificator pi2
 WHERE pi2.partij_id IN (SELECT pi.partij_id FROM partijen_partijidentificator pi
                          WHERE pi.code_soort_object_id = 'bsn' AND pi.object_id = %(bsn)s)
;
SELECT da.* FROM partijen_digitaaladres da
 WHERE da.partij_id IN (SELECT pi.partij_id FROM partijen_partijidentificator pi
                         WHERE pi.code_soort_object_id = 'bsn' AND pi.object_id = %(bsn)s)
;

-- scenario: b kc_of_partij
SELECT count(*) FROM klantcontacten_betrokkene b JOIN partijen_partij p ON p.id = b.partij_id
 WHERE p.uuid = %(partij_uuid)s::uuid
;
WITH page AS (
  SELECT kc.* FROM klantcontacten_klantcontact kc
   WHERE EXISTS (SELECT 1 FROM klantcontacten_betrokkene b JOIN partijen_partij p ON p.id = b.partij_id
                  WHERE b.klantcontact_id = kc.id AND p.uuid = %(partij_uuid)s::uuid)
   ORDER BY kc.plaatsgevonden_op DESC, kc.id DESC LIMIT 100)
SELECT page.*, b2.*, p2.uuid AS partij_uuid, o.* FROM page
  JOIN klantcontacten_betrokkene b2 ON b2.klantcontact_id = page.id
  LEFT JOIN partijen_partij p2 ON p2.id = b2.partij_id
  LEFT JOIN klantcontacten_onderwerpobject o ON o.klantcontact_id = page.id
;

-- scenario: c portal_history
SELECT count(*) FROM klantcontacten_betrokkene b
 WHERE b.partij_id IN (SELECT pi.partij_id FROM partijen_partijidentificator pi
                        WHERE pi.code_soort_object_id = 'bsn' AND pi.object_id = %(bsn)s)
;
WITH page AS (
  SELECT kc.* FROM klantcontacten_klantcontact kc
   WHERE EXISTS (SELECT 1 FROM klantcontacten_betrokkene b
                   JOIN partijen_partijidentificator pi ON pi.partij_id = b.partij_id
                  WHERE b.klantcontact_id = kc.id AND pi.code_soort_object_id = 'bsn'
                    AND pi.object_id = %(bsn)s)
   ORDER BY kc.plaatsgevonden_op DESC, kc.id DESC LIMIT 20)
SELECT page.*, o.*, array(SELECT b2.uuid FROM klantcontacten_betrokkene b2 WHERE b2.klantcontact_id = page.id) AS betrokkenen
  FROM page LEFT JOIN klantcontacten_onderwerpobject o ON o.klantcontact_id = page.id
;

-- scenario: d taken_of_actor
-- The count as the schema keeps it (taken_actortakentelling, per actor and status).
SELECT coalesce(sum(n.aantal), 0) FROM taken_actortakentelling n JOIN taken_actor a ON a.id = n.actor_id
 WHERE a.uuid = %(actor_uuid)s::uuid
;
WITH keys AS (
  SELECT tw.internetaak_id, tw.toegewezen_op FROM taken_internetaaktoewijzing tw
    JOIN taken_actor a ON a.id = tw.actor_id
   WHERE a.uuid = %(actor_uuid)s::uuid
   ORDER BY tw.toegewezen_op DESC, tw.internetaak_id DESC LIMIT 100),
page AS (
  SELECT t.* FROM keys JOIN taken_internetaak t ON t.id = keys.internetaak_id)
SELECT page.*, kc.uuid AS klantcontact_uuid,
       array(SELECT a2.uuid FROM taken_internetaaktoewijzing tw2 JOIN taken_actor a2 ON a2.id = tw2.actor_id
              WHERE tw2.internetaak_id = page.id ORDER BY tw2.id) AS actoren
  FROM page JOIN klantcontacten_klantcontact kc ON kc.id = page.klantcontact_id
;
