// SPDX-License-Identifier: GPL-3.0-or-later
// wskdeploy manifest export / import (model/manifest.h): every pattern's blueprint round-trips
// (names, kinds, parameters, annotations, code, feed, bindings, rule endpoints), inline and as a
// directory with code files; hand-written manifests in the other accepted shapes import.
#include "blueprints.h"
#include "manifest.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace Feedscope;

namespace {

const QString templates = QStringLiteral(FEEDSCOPE_RESOURCES_DIR "/templates");

Blueprint blueprintFor(FeedPattern pattern, const QString &target = {})
{
    BlueprintInputs in;
    in.pattern = pattern;
    in.name = QStringLiteral("orders");
    in.sourceUrl = pattern == FeedPattern::Connection
                       ? QStringLiteral("http://127.0.0.1:8080/stream")
                       : QStringLiteral("http://127.0.0.1:8080");
    in.targetAction = target;
    in.credentials = QJsonObject{{QStringLiteral("Authorization"), QStringLiteral("Bearer 123")}};
    auto bp = Blueprint::build(in, templates);
    if (!bp)
        qFatal("blueprint: %s", qPrintable(bp.error().message));
    return bp.value();
}

// The entities as a sorted list of canonical JSON texts, for set comparison with a readable diff.
QStringList canonicalSet(const QList<PlannedEntity> &entities)
{
    QStringList out;
    for (const PlannedEntity &e : entities)
        out.append(QString::fromUtf8(QJsonDocument(e.canonical()).toJson(QJsonDocument::Compact)));
    std::sort(out.begin(), out.end());
    return out;
}

void compareSets(const QList<PlannedEntity> &a, const QList<PlannedEntity> &b)
{
    const QStringList x = canonicalSet(a);
    const QStringList y = canonicalSet(b);
    for (qsizetype i = 0; i < std::min(x.size(), y.size()); ++i) {
        if (x.at(i) != y.at(i)) {
            qWarning("exported: %s", qPrintable(x.at(i)));
            qWarning("imported: %s", qPrintable(y.at(i)));
        }
    }
    QCOMPARE(y.size(), x.size());
    QCOMPARE(y, x);
}

} // namespace

class TestManifest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTripInline_data()
    {
        QTest::addColumn<int>("pattern");
        QTest::addColumn<QString>("target");
        QTest::newRow("hook") << int(FeedPattern::Hook) << QString();
        QTest::newRow("polling") << int(FeedPattern::Polling) << QString();
        QTest::newRow("connection") << int(FeedPattern::Connection) << QString();
        QTest::newRow("hook, packaged target")
            << int(FeedPattern::Hook) << QStringLiteral("lib/handle");
    }
    void roundTripInline()
    {
        QFETCH(int, pattern);
        QFETCH(QString, target);
        const Blueprint bp = blueprintFor(FeedPattern(pattern), target);
        const QString yaml = Manifest::exportYaml(bp, Manifest::CodeMode::Inline);
        QVERIFY(yaml.contains(QStringLiteral("feed: orders-feed/feed")));
        QVERIFY(yaml.contains(QStringLiteral("rules:")));
        if (FeedPattern(pattern) == FeedPattern::Polling) {
            QVERIFY(yaml.contains(QStringLiteral("dependencies:")));
            QVERIFY(yaml.contains(QStringLiteral("location: /whisk.system/alarms")));
        }
        const auto imported = Manifest::importYaml(yaml);
        QVERIFY2(imported.ok(), qPrintable(imported.error().message));
        compareSets(bp.entities, imported.value());
        // Imported entities are in deploy order: a rule never precedes its trigger.
        QCOMPARE(imported->last().kind, PlannedEntity::Kind::Rule);
    }

    void roundTripDirectory_data()
    {
        QTest::addColumn<int>("pattern");
        QTest::newRow("hook") << int(FeedPattern::Hook);
        QTest::newRow("polling") << int(FeedPattern::Polling);
        QTest::newRow("connection") << int(FeedPattern::Connection);
    }
    void roundTripDirectory()
    {
        QFETCH(int, pattern);
        const Blueprint bp = blueprintFor(FeedPattern(pattern));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto written = Manifest::exportToDirectory(bp.entities, bp.inputs.name, dir.path());
        QVERIFY2(written.ok(), qPrintable(written.error().message));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("manifest.yaml"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("feed.js"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("handler.js"))));
        QFile manifest(dir.filePath(QStringLiteral("manifest.yaml")));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        const QString yaml = QString::fromUtf8(manifest.readAll());
        QVERIFY(yaml.contains(QStringLiteral("function: feed.js")));
        QVERIFY(yaml.contains(QStringLiteral("runtime: nodejs:20")));
        // The template's text is what was written and what comes back.
        QFile feed(dir.filePath(QStringLiteral("feed.js")));
        QVERIFY(feed.open(QIODevice::ReadOnly));
        QFile original(templates + u'/' + feedPatternName(FeedPattern(pattern)) + u"/feed.js");
        QVERIFY(original.open(QIODevice::ReadOnly));
        QCOMPARE(feed.readAll(), original.readAll());

        const auto imported = Manifest::importDirectory(dir.path());
        QVERIFY2(imported.ok(), qPrintable(imported.error().message));
        compareSets(bp.entities, imported.value());
        for (const PlannedEntity &e : imported.value()) {
            if (e.kind == PlannedEntity::Kind::Trigger)
                QCOMPARE(e.feed, QStringLiteral("orders-feed/feed"));
        }
    }

    void valuesKeepTheirTypes()
    {
        QJsonObject params{
            {QStringLiteral("text"), QStringLiteral("plain words")},
            {QStringLiteral("numberLike"), QStringLiteral("42")},
            {QStringLiteral("boolLike"), QStringLiteral("true")},
            {QStringLiteral("nullLike"), QStringLiteral("null")},
            {QStringLiteral("empty"), QString()},
            {QStringLiteral("padded"), QStringLiteral(" x ")},
            {QStringLiteral("cron"), QStringLiteral("*/2 * * * * *")},
            {QStringLiteral("colon"), QStringLiteral("a: b")},
            {QStringLiteral("hash"), QStringLiteral("#not a comment")},
            {QStringLiteral("multiline"), QStringLiteral("one\ntwo\n")},
            {QStringLiteral("noFinalBreak"), QStringLiteral("one\ntwo")},
            {QStringLiteral("twoFinalBreaks"), QStringLiteral("one\n\n")},
            {QStringLiteral("indentedFirst"), QStringLiteral("  one\ntwo\n")},
            {QStringLiteral("int"), 7},
            {QStringLiteral("real"), 2.5},
            {QStringLiteral("yes"), true},
            {QStringLiteral("nothing"), QJsonValue(QJsonValue::Null)},
            {QStringLiteral("list"), QJsonArray{1, QStringLiteral("2"), false}},
            {QStringLiteral("object"),
             QJsonObject{{QStringLiteral("Authorization"), QStringLiteral("Basic a:b")},
                         {QStringLiteral("nested"), QJsonObject{{QStringLiteral("n"), 1}}}}}};
        const QList<PlannedEntity> entities{
            PlannedEntity::makePackage(QStringLiteral("p"),
                                       params,
                                       {{QStringLiteral("description"), QStringLiteral("d")}}),
            PlannedEntity::makeTrigger(
                QStringLiteral("plain"), {}, {}, QStringLiteral("_"), params),
        };
        const auto imported
            = Manifest::importYaml(Manifest::exportYaml(entities, QStringLiteral("types")));
        QVERIFY2(imported.ok(), qPrintable(imported.error().message));
        compareSets(entities, imported.value());
    }

    void sequencesBindingsAndPlainTriggers()
    {
        const QList<PlannedEntity> entities{
            PlannedEntity::makeBinding(
                QStringLiteral("myAlarms"),
                QStringLiteral("/whisk.system/alarms"),
                {{QStringLiteral("trigger_payload"), QJsonObject{{QStringLiteral("a"), 1}}}}),
            PlannedEntity::makePackage(QStringLiteral("lib"), {}),
            PlannedEntity::makeAction(QStringLiteral("lib/one"),
                                      QStringLiteral("nodejs:20"),
                                      QStringLiteral("function main(p) { return p; }"),
                                      {}),
            PlannedEntity::makeAction(QStringLiteral("two"),
                                      QStringLiteral("python:3"),
                                      QStringLiteral("def main(p):\n    return p\n"),
                                      {},
                                      {{QStringLiteral("k"), QStringLiteral("v")}}),
            PlannedEntity::makeSequence(QStringLiteral("lib/both"),
                                        {QStringLiteral("lib/one"), QStringLiteral("two")}),
            PlannedEntity::makeSequence(
                QStringLiteral("chain"),
                {QStringLiteral("lib/one"), QStringLiteral("/whisk.system/utils/echo")}),
            PlannedEntity::makeTrigger(QStringLiteral("tick"),
                                       QStringLiteral("myAlarms/alarm"),
                                       {{QStringLiteral("cron"), QStringLiteral("* * * * *")}}),
            PlannedEntity::makeTrigger(
                QStringLiteral("manual"), {}, {}, QStringLiteral("_"), {{QStringLiteral("x"), 1}}),
            PlannedEntity::makeRule(
                QStringLiteral("r1"), QStringLiteral("tick"), QStringLiteral("chain")),
            PlannedEntity::makeRule(
                QStringLiteral("r2"), QStringLiteral("manual"), QStringLiteral("lib/both")),
        };
        QTemporaryDir dir;
        const auto written
            = Manifest::exportToDirectory(entities, QStringLiteral("mix"), dir.path());
        QVERIFY2(written.ok(), qPrintable(written.error().message));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("one.js"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("two.py"))));
        const auto imported = Manifest::importDirectory(dir.path());
        QVERIFY2(imported.ok(), qPrintable(imported.error().message));
        compareSets(entities, imported.value());
        const auto inlined = Manifest::importYaml(
            Manifest::exportYaml(entities, QStringLiteral("mix"), Manifest::CodeMode::Inline));
        QVERIFY2(inlined.ok(), qPrintable(inlined.error().message));
        compareSets(entities, inlined.value());
    }

    void importsOtherShapes()
    {
        // Top-level `packages`, a package with `binding`, long-form inputs, bare names resolved
        // in their package, a comma list and a YAML list for sequences.
        const QString yaml = QStringLiteral(R"(
packages:
  shop:
    inputs:
      region:
        type: string
        value: eu
      retries: 3
    actions:
      hello:
        code: |
          function main() { return {}; }
        runtime: nodejs:20
        limits:
          timeout: 5000
          memorySize: 128
    sequences:
      pipeline:
        actions: hello, /whisk.system/utils/echo
      listed:
        actions:
          - hello
    triggers:
      everyMinute:
        feed: /whisk.system/alarms/alarm
        inputs:
          cron: "* * * * *"
    rules:
      run:
        trigger: everyMinute
        action: pipeline
  alarmsBound:
    binding: /whisk.system/alarms
    inputs:
      trigger_payload: x
)");
        const auto imported = Manifest::importYaml(yaml);
        QVERIFY2(imported.ok(), qPrintable(imported.error().message));
        QHash<QString, PlannedEntity> byName;
        for (const PlannedEntity &e : imported.value())
            byName.insert(entityKindName(e.kind) + u':' + e.name, e);
        QVERIFY(byName.contains(QStringLiteral("binding:alarmsBound")));
        QVERIFY(byName.contains(QStringLiteral("package:shop")));
        const Package shop = byName.value(QStringLiteral("package:shop")).package();
        QCOMPARE(shop.parameters.value(QStringLiteral("region")).toString(), QStringLiteral("eu"));
        QCOMPARE(shop.parameters.value(QStringLiteral("retries")).toInt(), 3);
        const Action hello = byName.value(QStringLiteral("action:shop/hello")).action();
        QCOMPARE(hello.kind, QStringLiteral("nodejs:20"));
        QVERIFY(hello.code.contains(QStringLiteral("function main")));
        QCOMPARE(hello.limits.value(QLatin1String("memory")).toInt(), 128);
        const Action pipeline = byName.value(QStringLiteral("action:shop/pipeline")).action();
        QCOMPARE(pipeline.components,
                 (QStringList{QStringLiteral("/_/shop/hello"),
                              QStringLiteral("/whisk.system/utils/echo")}));
        QCOMPARE(byName.value(QStringLiteral("action:shop/listed")).action().components,
                 QStringList{QStringLiteral("/_/shop/hello")});
        const PlannedEntity tick = byName.value(QStringLiteral("trigger:everyMinute"));
        QCOMPARE(tick.feed, QStringLiteral("/whisk.system/alarms/alarm"));
        QCOMPARE(tick.feedParameters.value(QLatin1String("cron")).toString(),
                 QStringLiteral("* * * * *"));
        QCOMPARE(tick.trigger().feed(), QStringLiteral("/whisk.system/alarms/alarm"));
        const Rule run = byName.value(QStringLiteral("rule:run")).rule();
        QCOMPARE(run.trigger, QStringLiteral("/_/everyMinute"));
        QCOMPARE(run.action, QStringLiteral("/_/shop/pipeline"));
    }

    void rejectsBadManifests_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not yaml") << QStringLiteral("packages: [unclosed")
                                  << QStringLiteral("Invalid manifest");
        QTest::newRow("not a map")
            << QStringLiteral("- a\n- b\n") << QStringLiteral("not a YAML map");
        QTest::newRow("git dependency")
            << QStringLiteral("packages:\n  default:\n    dependencies:\n      x:\n        "
                              "location: github.com/a/b\n")
            << QStringLiteral("only packages");
        QTest::newRow("missing code file") << QStringLiteral(
            "packages:\n  p:\n    actions:\n      a:\n        function: nowhere.js\n")
                                           << QStringLiteral("cannot read");
        QTest::newRow("rule without action")
            << QStringLiteral("packages:\n  default:\n    rules:\n      r:\n        trigger: t\n")
            << QStringLiteral("needs a trigger and an action");
        QTest::newRow("duplicate") << QStringLiteral("packages:\n  a:\n    triggers:\n      t: "
                                                     "{}\n  b:\n    triggers:\n      t: {}\n")
                                   << QStringLiteral("twice");
    }
    void rejectsBadManifests()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        QTemporaryDir empty;
        const auto imported = Manifest::importYaml(yaml, empty.path());
        QVERIFY(!imported.ok());
        QVERIFY2(imported.error().message.contains(expected), qPrintable(imported.error().message));
    }
};

QTEST_GUILESS_MAIN(TestManifest)
#include "tst_manifest.moc"
