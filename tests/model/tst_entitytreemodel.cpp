// SPDX-License-Identifier: GPL-3.0-or-later
// EntityTreeModel and EntityFilterModel (model/entitytreemodel.h) under QAbstractItemModelTester
// while collections are set, merged, emptied and filtered; semantic roles and badges; one
// QSignalSpy test per public mutation (STYLE.md 10).
#include "entityfiltermodel.h"
#include "entitytreemodel.h"
#include "lifecyclejournal.h"
#include "orphanscan.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Feedscope;
using Group = EntityTreeModel::Group;

namespace {

ExplorerEntry trigger(const QString &name, const QString &feed = {})
{
    ExplorerEntry e;
    e.kind = ExplorerEntry::Kind::Trigger;
    e.name = name;
    e.feed = feed;
    return e;
}

ExplorerEntry action(const QString &name, const QString &kind = QStringLiteral("nodejs:20"))
{
    ExplorerEntry e;
    e.kind = ExplorerEntry::Kind::Action;
    e.name = name;
    e.execKind = kind;
    e.version = QStringLiteral("0.0.1");
    return e;
}

ExplorerEntry package(const QString &name, const QString &target = {})
{
    ExplorerEntry e;
    e.kind = target.isEmpty() ? ExplorerEntry::Kind::Package : ExplorerEntry::Kind::Binding;
    e.name = name;
    e.bindingTarget = target;
    return e;
}

QStringList names(const QAbstractItemModel &model, const QModelIndex &parent)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(parent); ++row)
        list.append(model.index(row, 0, parent).data(EntityTreeModel::NameRole).toString());
    return list;
}

} // namespace

class TestEntityTreeModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shapeAndMerge()
    {
        EntityTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNamespace(QStringLiteral("guest"));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowCount(model.index(0, 0)), 4);
        QCOMPARE(model.index(0, 0).data().toString(), QStringLiteral("guest"));

        model.setEntities(Group::Triggers,
                          {trigger(QStringLiteral("b")),
                           trigger(QStringLiteral("a")),
                           trigger(QStringLiteral("D")),
                           trigger(QStringLiteral("c"))});
        const QModelIndex triggers = model.groupIndex(Group::Triggers);
        QCOMPARE(names(model, triggers),
                 (QStringList{QStringLiteral("a"),
                              QStringLiteral("b"),
                              QStringLiteral("c"),
                              QStringLiteral("D")}));
        QCOMPARE(triggers.data().toString(), QStringLiteral("Triggers (4)"));

        // A refresh: one gone, one new, one changed; the others keep their rows' identity.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const QPersistentModelIndex keptA = model.indexOf(Group::Triggers, QStringLiteral("a"));
        model.setEntities(
            Group::Triggers,
            {trigger(QStringLiteral("a")),
             trigger(QStringLiteral("c"), QStringLiteral("/whisk.system/alarms/alarm")),
             trigger(QStringLiteral("e")),
             trigger(QStringLiteral("D"))});
        QCOMPARE(names(model, triggers),
                 (QStringList{QStringLiteral("a"),
                              QStringLiteral("c"),
                              QStringLiteral("D"),
                              QStringLiteral("e")}));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(inserted.size(), 1);
        QVERIFY(changed.size() >= 1);
        QVERIFY(keptA.isValid());
        QCOMPARE(keptA.data(EntityTreeModel::NameRole).toString(), QStringLiteral("a"));
        const QModelIndex c = model.indexOf(Group::Triggers, QStringLiteral("c"));
        QCOMPARE(c.data(EntityTreeModel::BadgesRole).toInt() & EntityTreeModel::FeedBadge,
                 int(EntityTreeModel::FeedBadge));
        QCOMPARE(c.data(EntityTreeModel::QualifiedNameRole).toString(), QStringLiteral("/guest/c"));

        // Everything gone, then a large list in one go.
        model.setEntities(Group::Triggers, {});
        QCOMPARE(model.rowCount(triggers), 0);
        QList<ExplorerEntry> many;
        for (int i = 0; i < 2000; ++i)
            many.append(trigger(QStringLiteral("t%1").arg(i, 4, 10, QLatin1Char('0'))));
        inserted.clear();
        model.setEntities(Group::Triggers, many);
        QCOMPARE(model.rowCount(triggers), 2000);
        QCOMPARE(inserted.size(), 1); // one insert for a fresh group (STYLE.md 5)
        QCOMPARE(model.indexOf(Group::Triggers, QStringLiteral("t1234")).row(), 1234);
    }

    void packagesFetchTheirMembersWhenExpanded()
    {
        EntityTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNamespace(QStringLiteral("guest"));
        // (The tester itself may fetch while it checks the model: count from here.)
        QSignalSpy wanted(&model, &EntityTreeModel::packageContentsWanted);
        model.setEntities(
            Group::Packages,
            {package(QStringLiteral("pkg")),
             package(QStringLiteral("alarms"), QStringLiteral("/whisk.system/alarms"))});
        const QModelIndex pkg = model.indexOf(Group::Packages, QStringLiteral("pkg"));
        const QModelIndex binding = model.indexOf(Group::Packages, QStringLiteral("alarms"));
        QVERIFY(model.hasChildren(pkg));
        QCOMPARE(binding.data(EntityTreeModel::DetailRole).toString(),
                 QStringLiteral("→ /whisk.system/alarms"));
        QCOMPARE(binding.data(EntityTreeModel::NodeKindRole).value<EntityTreeModel::NodeKind>(),
                 EntityTreeModel::NodeKind::Binding);
        model.fetchMore(pkg);
        model.fetchMore(pkg);
        QVERIFY(!model.canFetchMore(pkg));
        // Asked once per package, with whether it is a binding.
        QStringList asked;
        for (const auto &call : wanted)
            asked.append(call.at(0).toString()
                         + (call.at(1).toBool() ? QStringLiteral(" binding") : QString()));
        QVERIFY2(asked.count(QStringLiteral("pkg")) == 1, qPrintable(asked.join(u',')));
        QVERIFY(asked.count(QStringLiteral("alarms binding")) <= 1);
        ExplorerEntry feed = action(QStringLiteral("feed"));
        feed.feedAction = true;
        model.setPackageMembers(QStringLiteral("pkg"), {action(QStringLiteral("b")), feed});
        QCOMPARE(model.rowCount(pkg), 2);
        const QModelIndex member = model.memberIndex(QStringLiteral("pkg"), QStringLiteral("feed"));
        QCOMPARE(member.data().toString(), QStringLiteral("feed"));
        QCOMPARE(member.data(EntityTreeModel::NameRole).toString(), QStringLiteral("pkg/feed"));
        QVERIFY(member.data(EntityTreeModel::BadgesRole).toInt() & EntityTreeModel::FeedBadge);
        // A package that is gone takes its members along.
        model.setEntities(
            Group::Packages,
            {package(QStringLiteral("alarms"), QStringLiteral("/whisk.system/alarms"))});
        QVERIFY(!model.memberIndex(QStringLiteral("pkg"), QStringLiteral("feed")).isValid());
        // An empty package has no expand arrow once it is known to be empty.
        model.setEntities(Group::Packages, {package(QStringLiteral("empty"))});
        const QModelIndex empty = model.indexOf(Group::Packages, QStringLiteral("empty"));
        model.setPackageMembers(QStringLiteral("empty"), {});
        QVERIFY(!model.hasChildren(empty));
    }

    void badgesFromEverySource()
    {
        EntityTreeModel model;
        model.setNamespace(QStringLiteral("guest"));
        model.setEntities(
            Group::Triggers,
            {trigger(QStringLiteral("t"), QStringLiteral("/whisk.system/alarms/alarm")),
             trigger(QStringLiteral("u"), QStringLiteral("/whisk.system/alarms/alarm"))});
        ExplorerEntry rule;
        rule.kind = ExplorerEntry::Kind::Rule;
        rule.name = QStringLiteral("r");
        rule.ruleTrigger = QStringLiteral("/guest/t");
        rule.ruleAction = QStringLiteral("/guest/a");
        model.setEntities(Group::Rules, {rule});
        model.setEntities(Group::Actions,
                          {action(QStringLiteral("seq"), QStringLiteral("sequence"))});
        const auto badges = [&](Group g, const QString &name) {
            return EntityTreeModel::Badges(
                model.indexOf(g, name).data(EntityTreeModel::BadgesRole).toInt());
        };
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        model.setFeedHealth(
            QStringLiteral("t"),
            FeedHealth{FeedHealth::State::AutoDisabled, QStringLiteral("401 from fire")});
        QVERIFY(badges(Group::Triggers, QStringLiteral("t")) & EntityTreeModel::AutoDisabledBadge);
        QVERIFY(model.indexOf(Group::Triggers, QStringLiteral("t"))
                    .data(EntityTreeModel::BadgeReasonRole)
                    .toString()
                    .contains(QLatin1String("401 from fire")));
        QCOMPARE(changed.size(), 1);
        model.setFeedHealth(QStringLiteral("u"), FeedHealth{FeedHealth::State::Paused, {}});
        QVERIFY(badges(Group::Triggers, QStringLiteral("u")) & EntityTreeModel::PausedBadge);

        model.setSoftPaused({QStringLiteral("t")});
        QVERIFY(badges(Group::Triggers, QStringLiteral("t")) & EntityTreeModel::SoftPausedBadge);
        Tombstone tomb;
        tomb.trigger = QStringLiteral("/guest/u");
        tomb.feed = QStringLiteral("/whisk.system/alarms/alarm");
        model.setTombstones({tomb});
        QVERIFY(badges(Group::Triggers, QStringLiteral("u")) & EntityTreeModel::TombstoneBadge);

        QVERIFY(!(badges(Group::Rules, QStringLiteral("r")) & EntityTreeModel::InactiveBadge));
        QVERIFY(!model.indexOf(Group::Rules, QStringLiteral("r"))
                     .data(EntityTreeModel::RuleActiveRole)
                     .isValid());
        model.setRuleActive(QStringLiteral("r"), false);
        QVERIFY(badges(Group::Rules, QStringLiteral("r")) & EntityTreeModel::InactiveBadge);
        QCOMPARE(model.indexOf(Group::Rules, QStringLiteral("r"))
                     .data(EntityTreeModel::DetailRole)
                     .toString(),
                 QStringLiteral("t → a"));

        model.setFindings({Finding{Finding::Kind::NoActiveRule,
                                   QStringLiteral("/guest/t"),
                                   QStringLiteral("nothing runs"),
                                   {}}});
        QVERIFY(badges(Group::Triggers, QStringLiteral("t")) & EntityTreeModel::OrphanedBadge);
        QVERIFY(badges(Group::Actions, QStringLiteral("seq")) & EntityTreeModel::SequenceBadge);

        // Badges survive a refresh of the collection.
        model.setEntities(
            Group::Triggers,
            {trigger(QStringLiteral("t"), QStringLiteral("/whisk.system/alarms/alarm"))});
        QVERIFY(badges(Group::Triggers, QStringLiteral("t")) & EntityTreeModel::AutoDisabledBadge);
    }

    void deletedTriggerStaysWhileItsDeleteIsOwed()
    {
        EntityTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNamespace(QStringLiteral("guest"));
        model.setEntities(Group::Triggers, {trigger(QStringLiteral("t"))});
        Tombstone owed;
        owed.trigger = QStringLiteral("/guest/gone");
        owed.feed = QStringLiteral("/whisk.system/alarms/alarm");
        Tombstone elsewhere = owed;
        elsewhere.trigger = QStringLiteral("/other/gone");
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.setTombstones({owed, elsewhere});
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(names(model, model.groupIndex(Group::Triggers)),
                 QStringList({QStringLiteral("gone"), QStringLiteral("t")}));
        const QModelIndex gone = model.indexOf(Group::Triggers, QStringLiteral("gone"));
        QVERIFY(gone.data(EntityTreeModel::DeletedRole).toBool());
        QVERIFY(gone.data(EntityTreeModel::BadgesRole).toInt() & EntityTreeModel::TombstoneBadge);
        QVERIFY(!(gone.data(EntityTreeModel::BadgesRole).toInt() & EntityTreeModel::FeedBadge));
        QVERIFY(
            gone.data(EntityTreeModel::DetailRole).toString().contains(QLatin1String("deleted")));
        QVERIFY(!model.indexOf(Group::Triggers, QStringLiteral("t"))
                     .data(EntityTreeModel::DeletedRole)
                     .toBool());
        // Listings do not drop it, and do not list it as an entity.
        model.setEntities(Group::Triggers, {trigger(QStringLiteral("t"))});
        QVERIFY(model.indexOf(Group::Triggers, QStringLiteral("gone")).isValid());
        QCOMPARE(model.entries(Group::Triggers).size(), 1);
        // The owed work done: it goes.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        model.setTombstones({});
        QCOMPARE(removed.size(), 1);
        QVERIFY(!model.indexOf(Group::Triggers, QStringLiteral("gone")).isValid());
        // A trigger that exists is badged in place, not doubled.
        owed.trigger = QStringLiteral("/guest/t");
        model.setTombstones({owed});
        QCOMPARE(model.entityCount(Group::Triggers), 1);
        QVERIFY(model.indexOf(Group::Triggers, QStringLiteral("t"))
                    .data(EntityTreeModel::BadgesRole)
                    .toInt()
                & EntityTreeModel::TombstoneBadge);
    }

    void activityCounters()
    {
        EntityTreeModel model;
        model.setNamespace(QStringLiteral("guest"));
        model.setEntities(Group::Triggers, {trigger(QStringLiteral("t"))});
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setActivity(Group::Triggers,
                          QStringLiteral("t"),
                          EntityActivity{3, 0, QDateTime::currentMSecsSinceEpoch(), -1});
        QCOMPARE(changed.size(), 1);
        const QModelIndex t = model.indexOf(Group::Triggers, QStringLiteral("t"));
        QCOMPARE(t.data(EntityTreeModel::ActivityCountRole).toInt(), 3);
        QVERIFY(t.siblingAtColumn(1).data().toString().startsWith(QLatin1String("3 fired")));
    }

    void filterKeepsTheShapeAndFindsMembers()
    {
        EntityTreeModel model;
        model.setNamespace(QStringLiteral("guest"));
        EntityFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntities(Group::Triggers,
                          {trigger(QStringLiteral("orders")), trigger(QStringLiteral("ticks"))});
        model.setEntities(Group::Actions,
                          {action(QStringLiteral("order-handler")), action(QStringLiteral("log"))});
        model.setEntities(Group::Packages, {package(QStringLiteral("orders-feed"))});
        model.setPackageMembers(QStringLiteral("orders-feed"), {action(QStringLiteral("feed"))});
        filter.setText(QStringLiteral("ORDER"));
        const QModelIndex ns = filter.index(0, 0);
        QCOMPARE(filter.rowCount(ns), 4); // every group stays
        const auto groupNames = [&](int group) {
            return names(filter, filter.index(group, 0, ns));
        };
        QCOMPARE(groupNames(int(Group::Triggers)), QStringList{QStringLiteral("orders")});
        QCOMPARE(groupNames(int(Group::Actions)), QStringList{QStringLiteral("order-handler")});
        QCOMPARE(groupNames(int(Group::Rules)), QStringList{});
        const QModelIndex pkg = filter.index(0, 0, filter.index(int(Group::Packages), 0, ns));
        QCOMPARE(names(filter, pkg), QStringList{QStringLiteral("orders-feed/feed")});
        // The model changes while filtered.
        model.setEntities(
            Group::Triggers,
            {trigger(QStringLiteral("orders")), trigger(QStringLiteral("new-order"))});
        QCOMPARE(groupNames(int(Group::Triggers)),
                 (QStringList{QStringLiteral("new-order"), QStringLiteral("orders")}));
        filter.setText({});
        QCOMPARE(groupNames(int(Group::Actions)).size(), 2);
    }

    void namespaceChangeResets()
    {
        EntityTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNamespace(QStringLiteral("guest"));
        model.setEntities(Group::Triggers, {trigger(QStringLiteral("t"))});
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setNamespace(QStringLiteral("guest"));
        QCOMPARE(reset.size(), 0);
        model.setNamespace(QStringLiteral("other"));
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.entityCount(Group::Triggers), 0);
    }
};

QTEST_GUILESS_MAIN(TestEntityTreeModel)
#include "tst_entitytreemodel.moc"
