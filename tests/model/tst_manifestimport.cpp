// SPDX-License-Identifier: GPL-3.0-or-later
// Manifests into and out of a live namespace (model/namespacereader.h, model/manifestimport.h),
// against a real engine: an exported namespace imports back as "left alone" throughout; an
// edited manifest is previewed as create / update (with what differs) and applied, feed
// triggers through their feed's UPDATE; a step that fails undoes the ones before it; a trigger
// whose feed would change is refused before anything is sent.
#include "blueprintdeployer.h"
#include "feedtesting.h"
#include "lifecyclejournal.h"
#include "manifest.h"
#include "manifestimport.h"
#include "namespacereader.h"
#include "operationtesting.h"
#include "serviceprocess.h"
#include "session.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;

namespace {

const QString templates = QStringLiteral(FEEDSCOPE_RESOURCES_DIR "/templates");

template<typename T>
std::optional<T> await(const std::function<void(QObject *, std::function<void(T)>)> &start)
{
    std::optional<T> out;
    QObject context;
    start(&context, [&out](T value) { out = std::move(value); });
    waitFor([&] { return out.has_value(); });
    return out;
}

const ImportItem *itemNamed(const QList<ImportItem> &items, const QString &name)
{
    for (const ImportItem &i : items) {
        if (i.entity.name == name)
            return &i;
    }
    return nullptr;
}

} // namespace

class TestManifestImport : public QObject
{
    Q_OBJECT

    EngineProcess m_engine;
    ServiceProcess m_service;
    HttpJournal m_journal;
    std::unique_ptr<Session> m_session;

    void reload()
    {
        bool refreshed = false;
        const auto c = connect(
            m_session->loader(), &NamespaceLoader::refreshed, this, [&] { refreshed = true; });
        m_session->refresh();
        QVERIFY(waitFor([&] { return refreshed; }));
        disconnect(c);
    }

    QList<PlannedEntity> exportNamespace()
    {
        reload();
        auto all = await<Result<QList<PlannedEntity>>>(
            [this](QObject *context, std::function<void(Result<QList<PlannedEntity>>)> done) {
                NamespaceReader::readAll(m_session.get(), context, done);
            });
        if (!all || !*all)
            return {};
        return **all;
    }

    QList<ImportItem> compare(const QList<PlannedEntity> &entities)
    {
        auto items = await<Result<QList<ImportItem>>>(
            [&](QObject *context, std::function<void(Result<QList<ImportItem>>)> done) {
                ManifestImport::compare(m_session.get(), entities, context, done);
            });
        if (!items || !*items) {
            qWarning("compare failed: %s", items ? qPrintable(items->error().message) : "timeout");
            return {};
        }
        return **items;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY2(m_service.startEventService(
                     QStringLiteral(FEEDSCOPE_RESOURCES_DIR "/samples/event-service.js")),
                 qPrintable(m_service.errorString()));
        m_session = std::make_unique<Session>(
            QStringLiteral("test"),
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")},
            &m_journal,
            std::make_shared<LifecycleJournal>());
        m_session->activate();
        reload();

        // A polling blueprint (binding, package, feed action, handler, feed trigger, rule) and
        // an alarms trigger, deployed as the designer does.
        BlueprintInputs in;
        in.pattern = FeedPattern::Polling;
        in.name = QStringLiteral("orders");
        in.sourceUrl = m_service.baseUrl();
        in.schedule = QStringLiteral("0 0 1 1 *");
        auto bp = Blueprint::build(in, templates);
        QVERIFY(bp);
        QList<PlannedEntity> entities = bp->entities;
        entities.append(
            PlannedEntity::makeTrigger(QStringLiteral("ticks"),
                                       QStringLiteral("/whisk.system/alarms/alarm"),
                                       {{QStringLiteral("cron"), QStringLiteral("0 3 * * *")}}));
        BlueprintDeployer deployer(m_session->client());
        std::optional<DeployReport> report;
        deployer.deploy(
            DeployPlan::fromEntities(entities), this, [&](DeployReport r) { report = r; });
        QVERIFY(waitFor([&] { return report.has_value(); }));
        QVERIFY2(report->ok, qPrintable(report->summary()));
    }

    void cleanupTestCase()
    {
        m_session.reset();
        m_service.stop();
        m_engine.stop();
    }

    void anExportedNamespaceImportsBackUnchanged()
    {
        const QList<PlannedEntity> exported = exportNamespace();
        QStringList names;
        for (const PlannedEntity &e : exported)
            names.append(e.name);
        names.sort();
        // The polling feed's own tick trigger, poll action and rule are left out.
        QCOMPARE(names,
                 (QStringList{QStringLiteral("orders"),
                              QStringLiteral("orders-alarms"),
                              QStringLiteral("orders-feed"),
                              QStringLiteral("orders-feed/feed"),
                              QStringLiteral("orders-handler"),
                              QStringLiteral("orders-rule"),
                              QStringLiteral("ticks")}));
        QTemporaryDir dir;
        QVERIFY(Manifest::exportToDirectory(exported, QStringLiteral("guest"), dir.path()));
        const auto imported = Manifest::importDirectory(dir.path());
        QVERIFY2(imported, imported ? "" : qPrintable(imported.error().message));
        const QList<ImportItem> items = compare(*imported);
        QCOMPARE(items.size(), imported->size());
        for (const ImportItem &item : items) {
            QVERIFY2(item.change == ImportItem::Change::Unchanged,
                     qPrintable(item.entity.name + QStringLiteral(": ")
                                + ImportItem::changeName(item.change) + u' '
                                + item.differences.join(u',')));
        }
        QVERIFY(!ManifestImport::apply(m_session.get(), items));
    }

    void anEditedManifestIsPreviewedAndApplied()
    {
        QList<PlannedEntity> entities = exportNamespace();
        for (PlannedEntity &e : entities) {
            if (e.name == u"orders-handler") {
                QJsonObject exec = e.body.value(QLatin1String("exec")).toObject();
                exec.insert(QStringLiteral("code"),
                            QStringLiteral("function main(p) { return {edited: true}; }"));
                e.body.insert(QStringLiteral("exec"), exec);
            }
            if (e.name == u"ticks")
                e.feedParameters.insert(QStringLiteral("cron"), QStringLiteral("0 4 * * *"));
        }
        entities.append(PlannedEntity::makeAction(QStringLiteral("extra"),
                                                  QStringLiteral("nodejs:20"),
                                                  QStringLiteral("function main() { return {}; }"),
                                                  QStringLiteral("extra.js")));
        const QList<ImportItem> items = compare(entities);
        QCOMPARE(itemNamed(items, QStringLiteral("extra"))->change, ImportItem::Change::Create);
        const ImportItem *handler = itemNamed(items, QStringLiteral("orders-handler"));
        QCOMPARE(handler->change, ImportItem::Change::Update);
        QCOMPARE(handler->differences, QStringList{QStringLiteral("code")});
        const ImportItem *ticks = itemNamed(items, QStringLiteral("ticks"));
        QCOMPARE(ticks->change, ImportItem::Change::Update);
        QCOMPARE(ticks->differences, QStringList{QStringLiteral("feed cron")});
        QCOMPARE(itemNamed(items, QStringLiteral("orders"))->change, ImportItem::Change::Unchanged);

        Operation *op = ManifestImport::apply(m_session.get(), items);
        QVERIFY(op);
        const auto report = waitForReport(op);
        QVERIFY(report);
        QVERIFY2(report->ok, qPrintable(report->summary()));
        QCOMPARE(m_engine.get(actionPath(QStringLiteral("extra"))).status, 200);
        QVERIFY(m_engine.get(actionPath(QStringLiteral("orders-handler"))).body.contains("edited"));
        QCOMPARE(alarmEntry(m_engine, QStringLiteral("ticks"))
                     .value(QLatin1String("config"))
                     .toObject()
                     .value(QLatin1String("cron"))
                     .toString(),
                 QStringLiteral("0 4 * * *"));
        // Applied: the same manifest now leaves everything alone.
        for (const ImportItem &item : compare(entities)) {
            QVERIFY2(item.change == ImportItem::Change::Unchanged,
                     qPrintable(item.entity.name + u' ' + item.differences.join(u',')));
        }
    }

    void aFailingStepUndoesTheOthers()
    {
        QList<PlannedEntity> entities;
        entities.append(PlannedEntity::makeAction(QStringLiteral("brand-new"),
                                                  QStringLiteral("nodejs:20"),
                                                  QStringLiteral("function main() { return {}; }"),
                                                  QStringLiteral("brand-new.js")));
        // A rule moved onto an action that does not exist: the API refuses that update.
        entities.append(PlannedEntity::makeRule(QStringLiteral("orders-rule"),
                                                QStringLiteral("orders"),
                                                QStringLiteral("missing-action")));
        const QList<ImportItem> items = compare(entities);
        QCOMPARE(items.at(0).change, ImportItem::Change::Create);
        QCOMPARE(items.at(1).change, ImportItem::Change::Update);
        Operation *op = ManifestImport::apply(m_session.get(), items);
        const auto report = waitForReport(op);
        QVERIFY(report);
        QVERIFY(!report->ok);
        QCOMPARE(report->undone.size(), 1);
        QCOMPARE(m_engine.get(actionPath(QStringLiteral("brand-new"))).status, 404);
        QVERIFY(
            m_engine.get(api(QStringLiteral("rules/orders-rule"))).body.contains("orders-handler"));
    }

    void aTriggerWhoseFeedWouldChangeIsRefused()
    {
        QList<PlannedEntity> entities{
            PlannedEntity::makeTrigger(QStringLiteral("ticks"),
                                       QStringLiteral("/whisk.system/alarms/interval"),
                                       {{QStringLiteral("minutes"), 5}})};
        const QList<ImportItem> items = compare(entities);
        QCOMPARE(items.at(0).change, ImportItem::Change::Refused);
        QVERIFY2(items.at(0).reason.contains(QStringLiteral("different feed")),
                 qPrintable(items.at(0).reason));
        QVERIFY(!ManifestImport::apply(m_session.get(), items));
    }
};

QTEST_GUILESS_MAIN(TestManifestImport)
#include "tst_manifestimport.moc"
