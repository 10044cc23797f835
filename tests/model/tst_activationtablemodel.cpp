// SPDX-License-Identifier: GPL-3.0-or-later
// ActivationTableModel and ActivationFilterModel (model/activationtablemodel.h,
// activationfiltermodel.h) under QAbstractItemModelTester while rows are appended in batches,
// trimmed by retention, upgraded in place and filtered; trigger → rule links in either arrival
// order; named saved filters. Records are built here as the engine writes them (PROTOCOL.md 2).
#include "activationfiltermodel.h"
#include "activationtablemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope;
using namespace Qt::StringLiterals;

namespace {

QString idFor(int i, char prefix = 'a')
{
    return QString(QLatin1Char(prefix)) + u"%1"_s.arg(i, 31, 10, QLatin1Char('0'));
}

QJsonObject kv(const QString &key, const QJsonValue &value)
{
    return QJsonObject{{u"key"_s, key}, {u"value"_s, value}};
}

// An action activation: summary (no response) or full record.
ActivationRecord action(const QString &id, const QString &name, int statusCode, bool full,
                        qint64 start = 1700000000000, bool cold = false)
{
    QJsonArray annotations{kv(u"path"_s, QString(u"guest/"_s + name)), kv(u"waitTime"_s, 3),
                           kv(u"kind"_s, u"nodejs:20"_s)};
    if (cold)
        annotations.append(kv(u"initTime"_s, 40));
    QJsonObject o{{u"activationId"_s, id}, {u"namespace"_s, u"guest"_s}, {u"name"_s, name},
                  {u"start"_s, start}, {u"end"_s, start + 12}, {u"duration"_s, 12},
                  {u"annotations"_s, annotations}};
    if (full) {
        static const char *const statuses[]
            = {"success", "application error", "action developer error", "whisk internal error"};
        o.insert(u"response"_s,
                 QJsonObject{{u"status"_s, QString::fromLatin1(statuses[statusCode])},
                             {u"success"_s, statusCode == 0},
                             {u"result"_s, QJsonObject{{u"order"_s, u"o-%1"_s.arg(id.right(3))}}}});
    } else {
        o.insert(u"statusCode"_s, statusCode);
    }
    return ActivationRecord::fromJson(o);
}

// A trigger activation whose logs say rule `rule` ran `actionId` (full), or its summary.
ActivationRecord trigger(const QString &id, const QString &name, const QString &rule,
                         const QString &actionId, bool full, const QJsonObject &payload = {})
{
    QJsonObject o{{u"activationId"_s, id}, {u"namespace"_s, u"guest"_s}, {u"name"_s, name},
                  {u"start"_s, qint64(1700000000000)}, {u"annotations"_s, QJsonArray{}}};
    if (full) {
        const QJsonObject line{{u"statusCode"_s, 0}, {u"success"_s, true},
                               {u"activationId"_s, actionId}, {u"rule"_s, QString(u"guest/"_s + rule)},
                               {u"action"_s, u"guest/x"_s}};
        o.insert(u"logs"_s,
                 QJsonArray{QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact))});
        o.insert(u"response"_s, QJsonObject{{u"status"_s, u"success"_s}, {u"success"_s, true},
                                             {u"result"_s, payload}});
    }
    return ActivationRecord::fromJson(o);
}

QList<ActivationRecord> actions(int from, int count, const QString &name = u"handler"_s)
{
    QList<ActivationRecord> list;
    for (int i = from; i < from + count; ++i)
        list.append(action(idFor(i), name, i % 4, true, 1700000000000 + i));
    return list;
}

} // namespace

class TestActivationTableModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendsArePublishedOncePerTick()
    {
        ActivationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 10; ++i)
            model.append(actions(i * 50, 50));
        // The first batch after a quiet spell is shown at once; the rest within that tick wait
        // for its end and are published together.
        QCOMPARE(model.rowCount(), 50);
        QCOMPARE(model.pendingCount(), 450);
        QCOMPARE(inserted.size(), 1);
        QTRY_COMPARE(model.rowCount(), 500);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(model.data(model.index(499, ActivationTableModel::Id)).toString(), idFor(499));
        QCOMPARE(model.data(model.index(1, ActivationTableModel::Status)).toString(),
                 u"application error"_s);
        QCOMPARE(model.data(model.index(1, ActivationTableModel::Duration)).toString(), u"12 ms"_s);
        QCOMPARE(model.data(model.index(1, ActivationTableModel::Name)).toString(), u"handler"_s);
        QCOMPARE(model.data(model.index(1, ActivationTableModel::Start)).toString(), u"warm"_s);
        QCOMPARE(model.rowOf(idFor(123)), 123);
        QCOMPARE(model.rowOf(idFor(9999)), -1);
    }

    void duplicatesAreIgnoredAndSummariesUpgraded()
    {
        ActivationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({action(idFor(1), u"a"_s, 0, false)});
        model.flush();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0, 0), ActivationTableModel::PayloadRole).toString(),
                 QString());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.append({action(idFor(1), u"a"_s, 0, false), action(idFor(1), u"a"_s, 0, true)});
        model.flush();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(changed.size(), 1);
        QVERIFY(model.data(model.index(0, 0), ActivationTableModel::PayloadRole)
                    .toString()
                    .contains(u"o-001"_s));
        // A late summary never replaces the full record.
        model.append({action(idFor(1), u"a"_s, 0, false)});
        model.flush();
        QVERIFY(model.rowAt(0).full);
    }

    void retentionDropsTheOldestInBatches()
    {
        ActivationTableModel model;
        model.setRetention(100);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy dropped(&model, &ActivationTableModel::rowsDropped);
        int appended = 0;
        for (int round = 0; round < 40; ++round) {
            model.append(actions(appended, 7));
            appended += 7;
            model.flush();
            QVERIFY(model.rowCount() <= 105);
            // Always the newest rows, in order.
            QCOMPARE(model.idAt(model.rowCount() - 1), idFor(appended - 1));
            QCOMPARE(model.idAt(0), idFor(appended - model.rowCount()));
        }
        QVERIFY(dropped.size() > 0);
        QVERIFY(dropped.size() < 40); // batches, not a row at a time
        QCOMPARE(model.droppedTotal() + model.rowCount(), appended);
        // Dropped ids are forgotten, kept ones found.
        QCOMPARE(model.rowOf(idFor(0)), -1);
        QCOMPARE(model.rowOf(idFor(appended - 1)), model.rowCount() - 1);
        model.setRetention(10);
        QTRY_COMPARE(model.rowCount(), 10);
    }

    void actionRowsShowTheTriggerAndRuleThatCausedThem()
    {
        ActivationTableModel model;
        model.setNamespace(u"guest"_s);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Action first, its trigger later (the trigger record is written after the POSTs).
        model.append({action(idFor(1), u"handler"_s, 0, true)});
        model.flush();
        QCOMPARE(model.data(model.index(0, ActivationTableModel::Cause)).toString(), QString());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.append({trigger(idFor(1, 't'), u"orders"_s, u"orders-rule"_s, idFor(1), true)});
        model.flush();
        QCOMPARE(model.data(model.index(0, ActivationTableModel::Cause)).toString(),
                 u"orders → orders-rule"_s);
        QVERIFY(changed.size() >= 1);
        // Trigger first (a pushed summary, then its full record), action after.
        model.append({trigger(idFor(2, 't'), u"orders"_s, {}, {}, false)});
        model.append({trigger(idFor(2, 't'), u"orders"_s, u"r2"_s, idFor(2), true)});
        model.append({action(idFor(2), u"handler"_s, 0, false, 1700000000000, true)});
        model.flush();
        QCOMPARE(model.rowCount(), 4);
        const int r = model.rowOf(idFor(2));
        QCOMPARE(model.data(model.index(r, ActivationTableModel::Cause)).toString(),
                 u"orders → r2"_s);
        QCOMPARE(model.data(model.index(r, ActivationTableModel::Start)).toString(), u"cold"_s);
        QCOMPARE(model.data(model.index(r, 0), ActivationTableModel::RuleRole).toString(), u"r2"_s);
    }

    void filterKeepsTheContractWhileRowsArriveAndGo()
    {
        ActivationTableModel model;
        model.setRetention(200);
        ActivationFilterModel filter(&model);
        QAbstractItemModelTester sourceTester(
            &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        ActivationRowFilter errors;
        errors.statuses = ActivationRowFilter::bit(ActivationStatus::ApplicationError)
                          | ActivationRowFilter::bit(ActivationStatus::DeveloperError);
        filter.setFilter(errors);
        int appended = 0;
        for (int round = 0; round < 12; ++round) {
            model.append(actions(appended, 40, round % 2 ? u"odd"_s : u"even"_s));
            appended += 40;
            model.flush();
            int expected = 0;
            for (int r = 0; r < model.rowCount(); ++r) {
                const auto s = model.rowAt(r).status;
                expected += s == ActivationStatus::ApplicationError
                            || s == ActivationStatus::DeveloperError;
            }
            QCOMPARE(filter.rowCount(), expected);
            QVERIFY(expected > 0);
        }
        // Action name, kind and free text (id or payload).
        ActivationRowFilter byAction;
        byAction.action = u"odd"_s;
        filter.setFilter(byAction);
        for (int r = 0; r < filter.rowCount(); ++r)
            QCOMPARE(filter.data(filter.index(r, ActivationTableModel::Name)).toString(), u"odd"_s);
        QVERIFY(filter.rowCount() > 0 && filter.rowCount() < model.rowCount());
        ActivationRowFilter text;
        text.text = idFor(appended - 1).right(6);
        filter.setFilter(text);
        QCOMPARE(filter.rowCount(), 1);
        text.text = u"O-479"_s; // payload {"order":"o-479"}, case-insensitive
        filter.setFilter(text);
        QCOMPARE(filter.rowCount(), 1);
        ActivationRowFilter triggers;
        triggers.kinds = ActivationRowFilter::bit(ActivationKind::Trigger);
        filter.setFilter(triggers);
        QCOMPARE(filter.rowCount(), 0);
        filter.setFilter({});
        QCOMPARE(filter.rowCount(), model.rowCount());
        model.clear();
        QCOMPARE(filter.rowCount(), 0);
    }

    void filterFollowsLinksThatArriveLater()
    {
        ActivationTableModel model;
        ActivationFilterModel filter(&model);
        QAbstractItemModelTester tester(&filter,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        ActivationRowFilter byTrigger;
        byTrigger.trigger = u"orders"_s;
        filter.setFilter(byTrigger);
        model.append({action(idFor(1), u"handler"_s, 0, true)});
        model.flush();
        QCOMPARE(filter.rowCount(), 0);
        model.append({trigger(idFor(1, 't'), u"orders"_s, u"r"_s, idFor(1), true)});
        model.flush();
        QCOMPARE(filter.rowCount(), 2); // the trigger row and the action it caused
        ActivationRowFilter byRule;
        byRule.rule = u"r"_s;
        filter.setFilter(byRule);
        QCOMPARE(filter.rowCount(), 1);
    }

    void localFiresAreRowsWithTheirStatus()
    {
        ActivationTableModel model;
        ActivationFilterModel filter(&model);
        QJsonObject o{{u"activationId"_s, u"local0000000100000000000000000001"_s},
                      {u"name"_s, u"orders"_s}, {u"start"_s, qint64(1700000000000)},
                      {u"response"_s, QJsonObject{{u"result"_s, QJsonObject{{u"k"_s, 1}}}}},
                      {u"annotations"_s, QJsonArray{kv(localFireAnnotation(), 429)}}};
        model.append({ActivationRecord::fromJson(o)});
        model.flush();
        QCOMPARE(model.rowAt(0).status, ActivationStatus::Throttled);
        QCOMPARE(model.rowAt(0).kind, ActivationKind::Trigger);
        ActivationRowFilter throttled;
        throttled.statuses = ActivationRowFilter::bit(ActivationStatus::Throttled);
        filter.setFilter(throttled);
        QCOMPARE(filter.rowCount(), 1);
        bool answered = false;
        model.fetchRecord(0, this, [&](Result<ActivationRecord> r) {
            answered = true;
            QVERIFY(r.ok());
            QCOMPARE(r->name, u"orders"_s);
            QCOMPARE(r->result.toObject().value(u"k"_s).toInt(), 1);
        });
        QVERIFY(answered);
    }

    void everyMutationSignalsOnce()
    {
        ActivationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy retention(&model, &ActivationTableModel::retentionChanged);
        QSignalSpy dropped(&model, &ActivationTableModel::rowsDropped);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.append(actions(0, 30));
        model.flush();
        model.setRetention(20);
        model.setRetention(20);
        QCOMPARE(retention.size(), 1);
        QCOMPARE(retention.at(0).at(0).toInt(), 20);
        QTRY_COMPARE(dropped.size(), 1);
        QCOMPARE(dropped.at(0).at(0).toInt(), 10);
        QCOMPARE(model.rowCount(), 20);
        model.clear();
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.rowOf(idFor(29)), -1);
        ActivationFilterModel filter(&model);
        QSignalSpy filterChanged(&filter, &ActivationFilterModel::filterChanged);
        ActivationRowFilter f;
        f.text = u"x"_s;
        filter.setFilter(f);
        filter.setFilter(f);
        QCOMPARE(filterChanged.size(), 1);
    }

    void savedFiltersSurviveAReload()
    {
        QTemporaryDir dir;
        ActivationRowFilter f;
        f.trigger = u"orders"_s;
        f.statuses = ActivationRowFilter::bit(ActivationStatus::NoActiveRule);
        f.text = u"eu-west"_s;
        {
            SavedActivationFilters saved(dir.path());
            QVERIFY(saved.save(u"orders failing"_s, f));
            QVERIFY(saved.save(u"other"_s, {}));
            QVERIFY(!saved.save(u"  "_s, f));
        }
        SavedActivationFilters reloaded(dir.path());
        QCOMPARE(reloaded.names(), (QStringList{u"orders failing"_s, u"other"_s}));
        QVERIFY(reloaded.filter(u"orders failing"_s) == f);
        QVERIFY(reloaded.remove(u"other"_s));
        QCOMPARE(SavedActivationFilters(dir.path()).names(), QStringList{u"orders failing"_s});
    }
};

QTEST_GUILESS_MAIN(TestActivationTableModel)
#include "tst_activationtablemodel.moc"
