// SPDX-License-Identifier: GPL-3.0-or-later
// PayloadShape (model/payloadshape.h): types per field with counts, optional fields (n of m),
// nested objects and arrays as paths, the caps on depth, fields and array elements, the sample
// parameter set; records taken only from full trigger activations, once per id. Then against a
// real feedscope-engine: a trigger fired with payloads of two shapes, its records ingested from
// ActivationStream.
#include "activationstream.h"
#include "feedtesting.h"
#include "payloadshape.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

FieldShape fieldOf(const QList<FieldShape> &fields, const QString &path)
{
    for (const FieldShape &f : fields) {
        if (f.path == path)
            return f;
    }
    return {};
}

// "string 2, integer 1": the types of a field as the tree shows them, most frequent first.
QString typesOf(const FieldShape &field)
{
    QStringList parts;
    for (const FieldTypeShare &t : field.types)
        parts.append(jsonTypeName(t.type) + u' ' + QString::number(t.count));
    return parts.join(u", "_s);
}

ActivationRecord triggerRecord(const QString &id, const QString &name, const QJsonObject &payload,
                               bool full)
{
    QJsonObject o{{u"activationId"_s, id}, {u"namespace"_s, u"guest"_s}, {u"name"_s, name},
                  {u"start"_s, qint64(1700000000000)}, {u"annotations"_s, QJsonArray{}}};
    if (full)
        o.insert(u"response"_s, QJsonObject{{u"status"_s, u"success"_s}, {u"result"_s, payload}});
    return ActivationRecord::fromJson(o);
}

} // namespace

class TestPayloadShape : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typesAndOptionalFields()
    {
        PayloadShape shape;
        QSignalSpy changed(&shape, &PayloadShape::changed);
        shape.addPayload(u"t"_s, json(R"({"a":1,"b":"x","c":true,"d":null,"e":1.5,"v":1})"));
        shape.addPayload(u"t"_s, json(R"({"a":2,"v":"s"})"));
        shape.addPayload(u"t"_s, json(R"({"a":3,"v":"t"})"));
        QCOMPARE(changed.size(), 3);
        QCOMPARE(changed.first().first().toStringList(), QStringList{u"t"_s});
        QCOMPARE(shape.triggers(), QStringList{u"t"_s});
        QCOMPARE(shape.payloadCount(u"t"_s), 3);
        const QList<FieldShape> fields = shape.fields(u"t"_s);
        QCOMPARE(fields.size(), 6);
        QCOMPARE(typesOf(fieldOf(fields, u"a"_s)), u"integer 3"_s);
        QCOMPARE(fieldOf(fields, u"a"_s).present, 3);
        QCOMPARE(fieldOf(fields, u"a"_s).types.first().example, u"1"_s);
        QCOMPARE(typesOf(fieldOf(fields, u"b"_s)), u"string 1"_s);
        QCOMPARE(fieldOf(fields, u"b"_s).present, 1); // optional: 1 of 3
        QCOMPARE(fieldOf(fields, u"b"_s).types.first().example, u"x"_s);
        QCOMPARE(typesOf(fieldOf(fields, u"c"_s)), u"boolean 1"_s);
        QCOMPARE(typesOf(fieldOf(fields, u"d"_s)), u"null 1"_s);
        QCOMPARE(typesOf(fieldOf(fields, u"e"_s)), u"number 1"_s);
        QCOMPARE(typesOf(fieldOf(fields, u"v"_s)), u"string 2, integer 1"_s);
        QCOMPARE(fieldOf(fields, u"v"_s).depth, 0);
        QVERIFY(!shape.isTruncated(u"t"_s));
    }

    void nestedObjectsAndArraysAsPaths()
    {
        PayloadShape shape;
        shape.addPayload(
            u"orders"_s,
            json(R"({"order":{"id":"o1","customer":{"name":"Ada"}},
                     "items":[{"sku":"a","qty":1},{"sku":"b"}],"tags":[]})"));
        shape.addPayload(u"orders"_s, json(R"({"order":{"id":"o2"},"items":[{"sku":"c","qty":2}]})"));
        QStringList paths;
        for (const FieldShape &f : shape.fields(u"orders"_s))
            paths.append(u"%1:%2"_s.arg(f.path).arg(f.depth));
        // Depth first, each object's keys in the order first seen (QJsonObject keeps them sorted).
        QCOMPARE(paths,
                 (QStringList{u"items:0"_s, u"items[]:1"_s, u"items[].qty:2"_s,
                              u"items[].sku:2"_s, u"order:0"_s, u"order.customer:1"_s,
                              u"order.customer.name:2"_s, u"order.id:1"_s, u"tags:0"_s}));
        const QList<FieldShape> fields = shape.fields(u"orders"_s);
        // Present counts payloads; seen counts values (each element of an array).
        QCOMPARE(fieldOf(fields, u"items[].sku"_s).present, 2);
        QCOMPARE(fieldOf(fields, u"items[].sku"_s).seen, 3);
        QCOMPARE(fieldOf(fields, u"items[].qty"_s).seen, 2);
        QCOMPARE(fieldOf(fields, u"items[]"_s).key, u"[]"_s);
        QCOMPARE(fieldOf(fields, u"order.customer"_s).present, 1);
        QCOMPARE(fieldOf(fields, u"items"_s).types.first().example, u"[2 items]"_s);
        QCOMPARE(fieldOf(fields, u"order"_s).types.first().example, u"{2 fields}"_s);
        QCOMPARE(typesOf(fieldOf(fields, u"tags"_s)), u"array 1"_s);

        // The sample: every field with its most common type's example, one element per array.
        QCOMPARE(shape.sampleParameters(u"orders"_s),
                 json(R"({"order":{"id":"o1","customer":{"name":"Ada"}},
                          "items":[{"sku":"a","qty":1}],"tags":[]})"));
    }

    void sampleTakesTheMostCommonTypeAndCutsLongStrings()
    {
        PayloadShape shape;
        const QString longText(500, u'x');
        shape.addPayload(u"t"_s, json(R"({"v":null,"w":1})"));
        shape.addPayload(u"t"_s, QJsonObject{{u"v"_s, 7}, {u"w"_s, u"one"_s}, {u"s"_s, longText}});
        shape.addPayload(u"t"_s, json(R"({"v":null,"w":"two"})"));
        const QJsonObject sample = shape.sampleParameters(u"t"_s);
        QCOMPARE(sample.value(u"v"_s), QJsonValue(7)); // null only when nothing else was seen
        QCOMPARE(sample.value(u"w"_s), QJsonValue(u"one"_s));
        QCOMPARE(sample.value(u"s"_s).toString().size(), 200);
        const FieldShape s = fieldOf(shape.fields(u"t"_s), u"s"_s);
        QCOMPARE(s.types.first().example.size(), PayloadShape::exampleLimit);
        QVERIFY(s.types.first().example.endsWith(QChar(0x2026)));
        QCOMPARE(shape.sampleParameters(u"nobody"_s), QJsonObject());
    }

    void capsBoundTheWork()
    {
        PayloadShape shape;
        // 12 levels deep: nothing below maxDepth is walked.
        QJsonObject deep{{u"leaf"_s, 1}};
        for (int i = 0; i < 12; ++i)
            deep = QJsonObject{{u"n"_s, deep}};
        shape.addPayload(u"deep"_s, deep);
        int deepest = 0;
        for (const FieldShape &f : shape.fields(u"deep"_s))
            deepest = qMax(deepest, f.depth);
        QCOMPARE(deepest, PayloadShape::maxDepth - 1);
        QVERIFY(shape.isTruncated(u"deep"_s));

        // Many keys: at most maxFieldsPerTrigger fields, over any number of payloads.
        QJsonObject wide;
        for (int i = 0; i < 1000; ++i)
            wide.insert(u"k%1"_s.arg(i, 4, 10, QLatin1Char('0')), i);
        shape.addPayload(u"wide"_s, wide);
        shape.addPayload(u"wide"_s, wide);
        QCOMPARE(shape.fields(u"wide"_s).size(), PayloadShape::maxFieldsPerTrigger);
        QVERIFY(shape.isTruncated(u"wide"_s));

        // A long array: only the first elements are walked, and that is no truncation.
        QJsonArray numbers;
        for (int i = 0; i < 100; ++i)
            numbers.append(i);
        shape.addPayload(u"list"_s, QJsonObject{{u"n"_s, numbers}});
        QCOMPARE(fieldOf(shape.fields(u"list"_s), u"n[]"_s).seen, PayloadShape::maxArrayElements);
        QVERIFY(!shape.isTruncated(u"list"_s));

        // A payload with more values (2,422) than one payload may cost.
        QJsonArray rows;
        for (int i = 0; i < 20; ++i) {
            QJsonArray row;
            for (int j = 0; j < 20; ++j)
                row.append(QJsonObject{{u"a"_s, i}, {u"b"_s, j}, {u"c"_s, u"x"_s},
                                       {u"d"_s, true}, {u"e"_s, 0.5}});
            rows.append(row);
        }
        shape.addPayload(u"costly"_s, QJsonObject{{u"rows"_s, rows}});
        QVERIFY(shape.isTruncated(u"costly"_s));
        QVERIFY(fieldOf(shape.fields(u"costly"_s), u"rows[][].e"_s).seen < 400);
    }

    void ingestTakesFullTriggerRecordsOnce()
    {
        PayloadShape shape;
        QSignalSpy changed(&shape, &PayloadShape::changed);
        const QString id = u"a%1"_s.arg(1, 31, 10, QLatin1Char('0'));
        const QJsonObject payload = json(R"({"k":1})");
        ActivationRecord action = triggerRecord(u"b%1"_s.arg(2, 31, 10, QLatin1Char('0')),
                                                u"handler"_s, payload, true);
        action.annotations.set(u"path"_s, u"guest/handler"_s);
        shape.ingest({triggerRecord(id, u"t"_s, payload, false), action});
        QCOMPARE(changed.size(), 0); // a summary has no payload; actions are no triggers
        shape.ingest({triggerRecord(id, u"t"_s, payload, true)});
        shape.ingest({triggerRecord(id, u"t"_s, payload, true)});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(shape.payloadCount(u"t"_s), 1);
        QCOMPARE(shape.triggers(), QStringList{u"t"_s});
        shape.clear();
        QCOMPARE(shape.triggers(), QStringList());
    }

    // Two shapes of payload fired at a real engine's trigger, read back from ActivationStream.
    void shapeOfRealTriggerActivations()
    {
        EngineProcess engine;
        QVERIFY2(engine.start(), qPrintable(engine.errorString()));
        QVERIFY(setUpTrigger(engine, u"shapes"_s, u"shapes-echo"_s));
        const QList<QJsonObject> payloads{
            json(R"({"kind":"order","id":1,"items":[{"sku":"a"}]})"),
            json(R"({"kind":"order","id":2,"items":[{"sku":"b","qty":2}]})"),
            json(R"({"kind":"refund","id":"r-3","reason":"late"})"),
        };
        for (const QJsonObject &p : payloads)
            QCOMPARE(engine.post(api(u"triggers/shapes"_s), p).status, 202);

        auto client = WhiskClient::create(
            WhiskEndpoint{engine.baseUrl(), QString::fromLatin1(guestKey), u"_"_s});
        ActivationStream stream(client);
        PayloadShape shape;
        connect(&stream, &ActivationStream::activations, &shape, &PayloadShape::ingest);
        stream.start();
        QVERIFY(waitFor([&] { return shape.payloadCount(u"shapes"_s) == 3; }));
        const QList<FieldShape> fields = shape.fields(u"shapes"_s);
        QCOMPARE(typesOf(fieldOf(fields, u"id"_s)), u"integer 2, string 1"_s);
        QCOMPARE(fieldOf(fields, u"kind"_s).present, 3);
        QCOMPARE(fieldOf(fields, u"items"_s).present, 2);
        QCOMPARE(fieldOf(fields, u"items[].qty"_s).present, 1);
        QCOMPARE(fieldOf(fields, u"reason"_s).present, 1);
        const QJsonObject sample = shape.sampleParameters(u"shapes"_s);
        QVERIFY(sample.value(u"id"_s).isDouble());
        // Lists come newest first: the example is whichever payload arrived first.
        QVERIFY((QStringList{u"order"_s, u"refund"_s}).contains(sample.value(u"kind"_s).toString()));
        QCOMPARE(sample.value(u"items"_s).toArray().size(), 1);
        // The echo action's activations are no payloads of a trigger.
        QCOMPARE(shape.triggers(), QStringList{u"shapes"_s});
        stream.stop();
    }
};

QTEST_GUILESS_MAIN(TestPayloadShape)
#include "tst_payloadshape.moc"
