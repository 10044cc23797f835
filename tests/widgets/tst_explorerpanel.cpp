// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer (widgets/explorer/) against a real engine: it shows the namespace with its
// counts, filters as the user types, pages big collections, enables its commands by the
// selection, toggles rules, copies wsk commands, finds orphans and follows the app's changes.
#include "common/reportview.h"
#include "explorer/explorerpanel.h"
#include "health/orphanspanel.h"
#include "widgettesting.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTreeView>
#include <QTreeWidget>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

namespace {

QStringList visibleNames(QTreeView *view, const QModelIndex &parent)
{
    QStringList names;
    for (int row = 0; row < view->model()->rowCount(parent); ++row)
        names.append(
            view->model()->index(row, 0, parent).data(EntityTreeModel::NameRole).toString());
    return names;
}

} // namespace

class TestExplorerPanel : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    HttpJournal m_journal;
    LifecycleJournalPtr m_lifecycleJournal = std::make_shared<LifecycleJournal>();
    std::unique_ptr<Session> m_session;
    std::unique_ptr<ExplorerPanel> m_panel;

    QModelIndex group(EntityTreeModel::Group g) const
    {
        QAbstractItemModel *model = m_panel->view()->model();
        return model->index(int(g), 0, model->index(0, 0));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY(ok(m_engine.put(QStringLiteral("/api/v1/namespaces/_/actions/echo"), nodeAction()),
                   "echo"));
        QVERIFY(
            ok(m_engine.put(QStringLiteral("/api/v1/namespaces/_/triggers/door"), QJsonObject{}),
               "door"));
        QVERIFY(ok(m_engine.put(QStringLiteral("/api/v1/namespaces/_/rules/door-echo"),
                                QJsonObject{{QStringLiteral("trigger"), QStringLiteral("door")},
                                            {QStringLiteral("action"), QStringLiteral("echo")}}),
                   "rule"));
        QVERIFY(
            ok(m_engine.put(QStringLiteral("/api/v1/namespaces/_/packages/tools"), QJsonObject{}),
               "pkg"));
        QVERIFY(ok(
            m_engine.put(QStringLiteral("/api/v1/namespaces/_/actions/tools/hammer"), nodeAction()),
            "hammer"));
        QVERIFY(
            ok(m_engine.put(
                   QStringLiteral("/api/v1/namespaces/_/packages/clock"),
                   QJsonObject{
                       {QStringLiteral("binding"),
                        QJsonObject{{QStringLiteral("namespace"), QStringLiteral("whisk.system")},
                                    {QStringLiteral("name"), QStringLiteral("alarms")}}}}),
               "binding"));
        // A lonely trigger (no rule) for the orphan scan, and many actions for paging.
        QVERIFY(
            ok(m_engine.put(QStringLiteral("/api/v1/namespaces/_/triggers/lonely"), QJsonObject{}),
               "lonely"));
        for (int i = 0; i < 450; ++i)
            m_engine.put(QStringLiteral("/api/v1/namespaces/_/actions/bulk-%1")
                             .arg(i, 3, 10, QLatin1Char('0')),
                         nodeAction());

        m_panel = std::make_unique<ExplorerPanel>();
        m_panel->resize(600, 800);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
        m_session = openSession(m_engine, &m_journal, m_lifecycleJournal);
        m_panel->setSession(m_session.get());
    }

    void showsTheNamespaceWithPagedCollections()
    {
        QAbstractItemModelTester tester(m_panel->view()->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTreeView *view = m_panel->view();
        QCOMPARE(view->model()->index(0, 0).data().toString(), QStringLiteral("guest"));
        // 451 actions arrive over three pages of 200.
        QVERIFY(waitUntil([&] {
            return view->model()->rowCount(group(EntityTreeModel::Group::Actions)) == 451;
        }));
        QVERIFY(group(EntityTreeModel::Group::Actions)
                    .data()
                    .toString()
                    .contains(QLatin1String("451")));
        QCOMPARE(visibleNames(view, group(EntityTreeModel::Group::Triggers)),
                 (QStringList{QStringLiteral("door"), QStringLiteral("lonely")}));
        QCOMPARE(visibleNames(view, group(EntityTreeModel::Group::Packages)),
                 (QStringList{QStringLiteral("clock"), QStringLiteral("tools")}));
        QVERIFY(view->isExpanded(group(EntityTreeModel::Group::Triggers)));
        // Expanding a package lists its actions; a binding its target's.
        const QModelIndex tools
            = view->model()->index(1, 0, group(EntityTreeModel::Group::Packages));
        view->expand(tools);
        QVERIFY(waitUntil([&] {
            return visibleNames(view, tools) == QStringList{QStringLiteral("tools/hammer")};
        }));
        const QModelIndex clock
            = view->model()->index(0, 0, group(EntityTreeModel::Group::Packages));
        QCOMPARE(clock.data(EntityTreeModel::DetailRole).toString(),
                 QStringLiteral("→ /whisk.system/alarms"));
        view->expand(clock);
        QVERIFY(waitUntil(
            [&] { return visibleNames(view, clock).contains(QStringLiteral("clock/alarm")); }));
        QVERIFY(
            view->model()
                ->index(visibleNames(view, clock).indexOf(QStringLiteral("clock/alarm")), 0, clock)
                .data(EntityTreeModel::BadgesRole)
                .toInt()
            & EntityTreeModel::FeedBadge);
    }

    void filterAsYouType()
    {
        QTreeView *view = m_panel->view();
        m_panel->filterEdit()->setFocus();
        QTest::keyClicks(m_panel->filterEdit(), QStringLiteral("DOO"));
        QVERIFY(waitUntil(
            [&] { return view->model()->rowCount(group(EntityTreeModel::Group::Actions)) == 0; }));
        QCOMPARE(visibleNames(view, group(EntityTreeModel::Group::Triggers)),
                 QStringList{QStringLiteral("door")});
        QCOMPARE(visibleNames(view, group(EntityTreeModel::Group::Rules)),
                 QStringList{QStringLiteral("door-echo")});
        QTest::keyClick(m_panel->filterEdit(), Qt::Key_A, Qt::ControlModifier);
        QTest::keyClick(m_panel->filterEdit(), Qt::Key_Delete);
        QVERIFY(waitUntil([&] {
            return view->model()->rowCount(group(EntityTreeModel::Group::Actions)) == 451;
        }));
    }

    void commandsFollowTheSelection()
    {
        QVERIFY(!m_panel->fireAction()->isEnabled() || m_panel->selectedEntity());
        QVERIFY(
            m_panel->selectEntity(EntityRef{ExplorerEntry::Kind::Trigger, QStringLiteral("door")}));
        QVERIFY(m_panel->fireAction()->isEnabled());
        QVERIFY(!m_panel->enableRuleAction()->isEnabled());
        QSignalSpy fire(m_panel.get(), &ExplorerPanel::fireRequested);
        m_panel->fireAction()->trigger();
        QCOMPARE(fire.size(), 1);
        QCOMPARE(fire.first().first().toString(), QStringLiteral("door"));
        QSignalSpy open(m_panel.get(), &ExplorerPanel::openRequested);
        QTest::keyClick(m_panel->view(), Qt::Key_Return);
        QCOMPARE(open.size(), 1);

        // Rules: disable, the badge shows; enable again.
        QVERIFY(m_panel->selectEntity(
            EntityRef{ExplorerEntry::Kind::Rule, QStringLiteral("door-echo")}));
        QVERIFY(waitUntil([&] {
            return !m_panel->enableRuleAction()->isEnabled()
                   && m_panel->disableRuleAction()->isEnabled();
        }));
        m_panel->disableRuleAction()->trigger();
        QVERIFY(waitUntil([&] {
            return m_engine.get(QStringLiteral("/api/v1/namespaces/_/rules/door-echo"))
                       .object()
                       .value(QLatin1String("status"))
                       .toString()
                   == u"inactive";
        }));
        const auto badges = [&] {
            return m_session->tree()
                ->indexOf(EntityTreeModel::Group::Rules, QStringLiteral("door-echo"))
                .data(EntityTreeModel::BadgesRole)
                .toInt();
        };
        QVERIFY(waitUntil([&] { return badges() & EntityTreeModel::InactiveBadge; }));
        QVERIFY(m_panel->enableRuleAction()->isEnabled());
        m_panel->enableRuleAction()->trigger();
        QVERIFY(waitUntil([&] { return !(badges() & EntityTreeModel::InactiveBadge); }));
    }

    void copyAsWskCommand()
    {
        QVERIFY(m_panel->selectEntity(
            EntityRef{ExplorerEntry::Kind::Rule, QStringLiteral("door-echo")}));
        QApplication::clipboard()->clear();
        m_panel->copyWskAction()->trigger();
        QVERIFY(waitUntil([&] { return !QApplication::clipboard()->text().isEmpty(); }));
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("wsk rule create door-echo door echo"));
        QVERIFY(
            m_panel->selectEntity(EntityRef{ExplorerEntry::Kind::Action, QStringLiteral("echo")}));
        m_panel->copyWskAction()->trigger();
        QVERIFY(waitUntil([&] {
            return QApplication::clipboard()->text().startsWith(
                QLatin1String("wsk action create echo"));
        }));
    }

    void orphanScanBadges()
    {
        // The explorer asks for the scan; the orphans panel runs it and badges the tree.
        OrphansPanel orphans;
        orphans.setSession(m_session.get());
        connect(m_panel.get(), &ExplorerPanel::orphanScanRequested, &orphans, &OrphansPanel::scan);
        m_panel->scanOrphansAction()->trigger();
        const auto badges = [&] {
            return m_session->tree()
                ->indexOf(EntityTreeModel::Group::Triggers, QStringLiteral("lonely"))
                .data(EntityTreeModel::BadgesRole)
                .toInt();
        };
        QVERIFY(waitUntil([&] { return badges() & EntityTreeModel::OrphanedBadge; }));
        QVERIFY(!orphans.findingsView()
                     ->findItems(QStringLiteral("lonely"), Qt::MatchExactly, 1)
                     .isEmpty());
        QVERIFY(m_session->tree()
                    ->indexOf(EntityTreeModel::Group::Triggers, QStringLiteral("lonely"))
                    .data(EntityTreeModel::BadgeReasonRole)
                    .toString()
                    .contains(QLatin1String("rule")));
    }

    void followsChangesAndActivity()
    {
        // A change made by the app's own client is reloaded without a manual refresh.
        Trigger t;
        bool done = false;
        m_session->client()->putTrigger(*QualifiedName::parse(QStringLiteral("bell")),
                                        t,
                                        false,
                                        this,
                                        [&done](Result<Trigger>) { done = true; });
        QVERIFY(waitUntil([&] { return done; }));
        QVERIFY(waitUntil([&] {
            return m_session->tree()
                ->indexOf(EntityTreeModel::Group::Triggers, QStringLiteral("bell"))
                .isValid();
        }));
        // Fires show up as counts.
        m_engine.post(QStringLiteral("/api/v1/namespaces/_/triggers/door"),
                      QJsonObject{{QStringLiteral("n"), 1}});
        m_session->activity()->pollNow();
        QVERIFY(waitUntil([&] {
            return m_session->tree()
                       ->activity(EntityTreeModel::Group::Triggers, QStringLiteral("door"))
                       .count
                   >= 1;
        }));
        QVERIFY(waitUntil([&] {
            return m_session->tree()
                       ->activity(EntityTreeModel::Group::Actions, QStringLiteral("echo"))
                       .count
                   >= 1;
        }));
        const QModelIndex door
            = m_session->tree()->indexOf(EntityTreeModel::Group::Triggers, QStringLiteral("door"));
        QVERIFY(door.siblingAtColumn(1).data().toString().contains(QLatin1String("fired")));
    }

    void withoutSessionSaysSo()
    {
        ExplorerPanel panel;
        panel.show();
        QVERIFY(!panel.view()->isEnabled());
        QVERIFY(!panel.refreshAction()->isEnabled());
        QVERIFY(panel.findChild<QWidget *>(QStringLiteral("explorerPlaceholder"))->isVisible());
    }
};

QTEST_MAIN(TestExplorerPanel)
#include "tst_explorerpanel.moc"
