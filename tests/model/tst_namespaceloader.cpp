// SPDX-License-Identifier: GPL-3.0-or-later
// NamespaceLoader (model/namespaceloader.h) against a real engine: a full refresh reads every
// feed trigger's health with its feed's READ; a refresh of the trigger group after the app's
// own changes reads again only the triggers whose feed or version changed — each READ is an
// activation of the feed action, so none is sent for nothing.
#include "entitytreemodel.h"
#include "feedtesting.h"
#include "httpjournal.h"
#include "namespaceloader.h"

#include <QTest>

using namespace Feedscope;
using namespace Feedscope::Testing;

namespace {

// A feed action that answers every lifecycle event (READ included) with success.
const QString acceptingFeed
    = QStringLiteral("function main(p) { return {event: p.lifecycleEvent}; }");

QJsonObject feedTrigger(const QString &feed, const QString &note = {})
{
    return QJsonObject{
        {QStringLiteral("annotations"), QJsonArray{kv(QStringLiteral("feed"), feed)}},
        {QStringLiteral("parameters"), QJsonArray{kv(QStringLiteral("note"), note)}}};
}

} // namespace

class TestNamespaceLoader : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    EntityTreeModel m_tree;
    std::unique_ptr<NamespaceLoader> m_loader;
    int m_detailsLoaded = 0;

    // The triggers READ was sent for, in the order the journal recorded them.
    QStringList readsSent() const
    {
        QStringList triggers;
        for (const HttpJournal::Entry &e : m_journal.entries()) {
            const QJsonObject body = QJsonDocument::fromJson(e.requestBody).object();
            if (body.value(QLatin1String("lifecycleEvent")).toString() == u"READ")
                triggers.append(body.value(QLatin1String("triggerName")).toString());
        }
        return triggers;
    }

    // Runs `load` and waits until its listings and every detail request are answered.
    bool loadAndSettle(const std::function<void()> &load)
    {
        const int before = m_detailsLoaded;
        load();
        return waitFor([&] { return !m_loader->isLoading() && m_detailsLoaded > before; });
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start({QStringLiteral("--no-prewarm")}),
                 qPrintable(m_engine.errorString()));
        QVERIFY(!createAction(m_engine, QStringLiteral("accepting-feed"), nodeAction(acceptingFeed))
                     .isEmpty());
        for (const QString &t : {QStringLiteral("t1"), QStringLiteral("t2")}) {
            QVERIFY(ok(m_engine.put(api(QStringLiteral("triggers/") + t),
                                    feedTrigger(QStringLiteral("accepting-feed"))),
                       "creating a feed trigger"));
        }
        // A trigger without a feed is never READ.
        QVERIFY(ok(m_engine.put(api(QStringLiteral("triggers/plain")), QJsonObject{}),
                   "creating a plain trigger"));

        const WhiskClientPtr client = WhiskClient::create(
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")},
            &m_journal);
        m_loader = std::make_unique<NamespaceLoader>(client, &m_tree);
        connect(
            m_loader.get(), &NamespaceLoader::detailsLoaded, this, [this] { ++m_detailsLoaded; });
    }

    void fullRefreshReadsEveryFeedTrigger()
    {
        QVERIFY(loadAndSettle([this] { m_loader->refresh(); }));
        QStringList reads = readsSent();
        reads.sort();
        QCOMPARE(reads, (QStringList{QStringLiteral("/_/t1"), QStringLiteral("/_/t2")}));
        QCOMPARE(m_tree.feedHealth(QStringLiteral("t1")).state, FeedHealth::State::Active);
        QCOMPARE(m_tree.feedHealth(QStringLiteral("t2")).state, FeedHealth::State::Active);
    }

    void groupRefreshReadsOnlyWhatChanged()
    {
        const qsizetype before = readsSent().size();
        // Nothing changed: the rules' status is read again, no feed is.
        QVERIFY(
            loadAndSettle([this] { m_loader->refreshGroup(EntityTreeModel::Group::Triggers); }));
        QCOMPARE(readsSent().size(), before);

        // t2 is updated (a new version): only t2 is READ.
        QVERIFY(
            ok(m_engine.put(api(QStringLiteral("triggers/t2?overwrite=true")),
                            feedTrigger(QStringLiteral("accepting-feed"), QStringLiteral("v2"))),
               "updating t2"));
        QVERIFY(
            loadAndSettle([this] { m_loader->refreshGroup(EntityTreeModel::Group::Triggers); }));
        QCOMPARE(readsSent().mid(before), QStringList{QStringLiteral("/_/t2")});

        // A full refresh (the user asked) reads them all again.
        QVERIFY(loadAndSettle([this] { m_loader->refresh(); }));
        QCOMPARE(readsSent().size(), before + 1 + 2);
    }

    void cleanupTestCase() { m_loader.reset(); }
};

QTEST_GUILESS_MAIN(TestNamespaceLoader)
#include "tst_namespaceloader.moc"
