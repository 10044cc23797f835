// SPDX-License-Identifier: GPL-3.0-or-later
// The tombstones panel (widgets/health/tombstonespanel) against a real engine: a feed whose
// DELETE fails leaves a tombstone when its trigger is deleted from the explorer; it is listed
// with its error, the explorer keeps the deleted trigger badged "DELETE pending", a retry that
// fails again counts the attempt, and once the feed works a retry clears it everywhere.
#include "common/messagebar.h"
#include "common/operationview.h"
#include "common/reportview.h"
#include "common/theme.h"
#include "explorer/explorerpanel.h"
#include "health/tombstonespanel.h"
#include "widgettesting.h"

#include <QAction>
#include <QHBoxLayout>
#include <QToolButton>
#include <QTreeWidget>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

class TestTombstonesPanel : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<QWidget> m_window;
    ExplorerPanel *m_explorer = nullptr;
    TombstonesPanel *m_panel = nullptr;

    void deployFeed(bool refuseDelete)
    {
        FeedMisbehaviour how;
        if (refuseDelete) {
            how.refused = {QStringLiteral("DELETE")};
            how.refusal = QStringLiteral("the provider is down");
        }
        QVERIFY(ok(m_engine.put(api(QStringLiteral("actions/fragile?overwrite=true")),
                                misbehavingAlarmFeed(how)),
                   "fragile feed"));
    }
    bool createFeedTrigger(const QString &name)
    {
        Operation *op = m_session->lifecycle()->create(
            *QualifiedName::parse(QStringLiteral("/_/") + name),
            *QualifiedName::parse(QStringLiteral("/guest/fragile")),
            {},
            QJsonObject{{QStringLiteral("cron"), QStringLiteral("0 0 1 1 *")}});
        const std::optional<OperationReport> report = reportOf(op);
        return report && report->ok;
    }
    QModelIndex treeIndex(const QString &trigger) const
    {
        return m_session->tree()->indexOf(EntityTreeModel::Group::Triggers, trigger);
    }
    bool pendingInExplorer(const QString &trigger) const
    {
        const QModelIndex index = treeIndex(trigger);
        return index.isValid() && index.data(EntityTreeModel::DeletedRole).toBool()
               && (index.data(EntityTreeModel::BadgesRole).toInt()
                   & EntityTreeModel::TombstoneBadge);
    }
    void retryAndWait(QAction *action)
    {
        QVERIFY(action->isEnabled());
        action->trigger();
        QVERIFY(waitUntil([&] { return !m_panel->operationView()->isRunning(); }));
    }
    QTreeWidgetItem *row(const QString &trigger) const
    {
        const int at = m_panel->rowOf(trigger);
        return at < 0 ? nullptr : m_panel->listView()->topLevelItem(at);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
        m_window = std::make_unique<QWidget>();
        m_explorer = new ExplorerPanel(m_window.get());
        m_panel = new TombstonesPanel(m_window.get());
        auto *layout = new QHBoxLayout(m_window.get());
        layout->addWidget(m_explorer);
        layout->addWidget(m_panel, 2);
        m_explorer->setSession(m_session.get());
        m_panel->setSession(m_session.get());
        m_window->resize(1400, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(m_panel->summary()->text().startsWith(QLatin1String("Nothing is owed")));
    }

    void failedDeleteIsListedBadgedAndRetried()
    {
        deployFeed(true);
        QVERIFY(createFeedTrigger(QStringLiteral("doomed")));
        QVERIFY(createFeedTrigger(QStringLiteral("doomed2")));
        for (const char *name : {"doomed", "doomed2"}) {
            QVERIFY(waitUntil([&] {
                return m_explorer->selectEntity(
                    EntityRef{ExplorerEntry::Kind::Trigger, QString::fromLatin1(name)});
            }));
            answerNextMessageBox(QMessageBox::Yes);
            m_explorer->deleteAction()->trigger();
            QVERIFY(waitUntil([&] {
                return m_engine.get(api(QStringLiteral("triggers/") + QString::fromLatin1(name)))
                           .status
                       == 404;
            }));
        }
        // Listed with its error; the deleted triggers stay in the explorer, badged.
        QVERIFY(waitUntil([&] { return row(QStringLiteral("/guest/doomed2")) != nullptr; }));
        QTreeWidgetItem *doomed = row(QStringLiteral("/guest/doomed"));
        QVERIFY(doomed);
        QCOMPARE(doomed->text(1), QStringLiteral("/guest/fragile"));
        QVERIFY2(doomed->text(6).contains(QLatin1String("the provider is down")),
                 qPrintable(doomed->text(6)));
        QCOMPARE(doomed->text(3), QStringLiteral("1"));
        QVERIFY(!doomed->text(4).isEmpty());
        // (A listing sent before the DELETE may still show a trigger as it was: the tree settles.)
        QVERIFY(waitUntil([&] { return pendingInExplorer(QStringLiteral("doomed")); }));
        QVERIFY(waitUntil([&] { return pendingInExplorer(QStringLiteral("doomed2")); }));
        bool pill = false;
        for (const Theme::Pill &p : Theme::pills(EntityTreeModel::Badges(
                 treeIndex(QStringLiteral("doomed")).data(EntityTreeModel::BadgesRole).toInt())))
            pill = pill || p.text == u"DELETE pending";
        QVERIFY(pill);
        // Nothing to open for a deleted trigger.
        QVERIFY(m_explorer->selectEntity(
            EntityRef{ExplorerEntry::Kind::Trigger, QStringLiteral("doomed")}));
        QVERIFY(!m_explorer->openAction()->isEnabled());
        QVERIFY(!m_explorer->deleteAction()->isEnabled());
        QVERIFY(!alarmEntry(m_engine, QStringLiteral("doomed")).isEmpty());
        const QStringList unnamed = unnamedControls(m_window.get());
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));

        // Retry one while the feed still fails: kept, the attempt counted, the report says so.
        m_panel->listView()->clearSelection();
        row(QStringLiteral("/guest/doomed"))->setSelected(true);
        retryAndWait(m_panel->retryAction());
        QVERIFY(
            m_panel->operationView()->report()->reportText().contains(QLatin1String("still owed")));
        QVERIFY(waitUntil([&] {
            QTreeWidgetItem *item = row(QStringLiteral("/guest/doomed"));
            return item && item->text(3) == u"2";
        }));
        QCOMPARE(row(QStringLiteral("/guest/doomed2"))->text(3), QStringLiteral("1"));

        // The feed works again: retry all clears both, in the panel and in the explorer, and
        // the provider forgets them.
        deployFeed(false);
        retryAndWait(m_panel->retryAllAction());
        QVERIFY2(m_panel->operationView()->report()->reportText().contains(QLatin1String("done")),
                 qPrintable(m_panel->operationView()->report()->reportText()));
        QVERIFY(waitUntil([&] { return m_panel->listView()->topLevelItemCount() == 0; }));
        QVERIFY(m_panel->summary()->text().startsWith(QLatin1String("Nothing is owed")));
        QVERIFY(waitUntil([&] { return !treeIndex(QStringLiteral("doomed")).isValid(); }));
        QVERIFY(!treeIndex(QStringLiteral("doomed2")).isValid());
        QVERIFY(alarmEntry(m_engine, QStringLiteral("doomed")).isEmpty());
        QVERIFY(alarmEntry(m_engine, QStringLiteral("doomed2")).isEmpty());
    }

    void forgetAsksFirst()
    {
        Tombstone t;
        t.trigger = QStringLiteral("/guest/gone-for-good");
        t.feed = QStringLiteral("/guest/fragile");
        t.apiHost = m_session->endpoint().apiHost;
        t.ns = m_session->endpoint().ns;
        m_lifecycleJournal->addTombstone(t);
        QVERIFY(waitUntil([&] { return row(QStringLiteral("/guest/gone-for-good")) != nullptr; }));
        row(QStringLiteral("/guest/gone-for-good"))->setSelected(true);
        answerNextMessageBox(QMessageBox::Discard);
        m_panel->forgetAction()->trigger();
        QVERIFY(waitUntil([&] { return m_panel->listView()->topLevelItemCount() == 0; }));
        QVERIFY(m_lifecycleJournal->tombstones().isEmpty());
    }
};

QTEST_MAIN(TestTombstonesPanel)
#include "tst_tombstonespanel.moc"
