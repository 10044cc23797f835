// SPDX-License-Identifier: GPL-3.0-or-later
// HttpJournalModel (model/httpjournalmodel.h) under QAbstractItemModelTester while the journal
// appends, trims and clears; batched inserts; semantic roles.
#include "httpjournalmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Feedscope;

namespace {

HttpJournal::Entry entry(const QByteArray &method, const QString &url, int status)
{
    HttpJournal::Entry e;
    e.started = QDateTime::currentDateTimeUtc();
    e.method = method;
    e.url = QUrl(url);
    e.status = status;
    e.elapsedMs = 3;
    e.responseBody = QByteArray(1500, 'x');
    if (status == 0)
        e.error = QStringLiteral("Connection refused");
    return e;
}

} // namespace

class TestHttpJournalModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendsArePublishedInBatches()
    {
        HttpJournal journal;
        HttpJournalModel model(&journal);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < 100; ++i)
            journal.append(
                entry("GET", QStringLiteral("http://h/api/v1/namespaces/_/actions"), 200));
        QCOMPARE(model.rowCount(), 0); // not yet: one insert per tick
        QTRY_COMPARE(model.rowCount(), 100);
        QCOMPARE(inserted.size(), 1);
    }

    void trimsAndClearsKeepTheContract()
    {
        HttpJournal journal;
        journal.setCapacity(10);
        HttpJournalModel model(&journal);
        model.setBatchInterval(1);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int round = 0; round < 5; ++round) {
            for (int i = 0; i < 7; ++i)
                journal.append(entry("POST", QStringLiteral("http://h/api/v1/x"), 202));
            if (round % 2)
                model.flush();
            else
                QTest::qWait(5);
        }
        model.flush();
        // Trimmed in batches: at most a tenth over the capacity.
        QCOMPARE(model.rowCount(), int(journal.entries().size()));
        QVERIFY(model.rowCount() >= 10 && model.rowCount() <= 11);
        // Rows follow the journal: the last row is the newest entry.
        QCOMPARE(model.data(model.index(model.rowCount() - 1, 0), HttpJournalModel::EntryIdRole)
                     .toLongLong(),
                 journal.entries().last().id);
        QCOMPARE(model.rowOfEntry(journal.entries().first().id), 0);
        journal.setCapacity(3);
        QCOMPARE(model.rowCount(), 3);
        journal.clear();
        QCOMPARE(model.rowCount(), 0);
        journal.append(entry("GET", QStringLiteral("http://h/ping"), 200));
        model.flush();
        QCOMPARE(model.rowCount(), 1);
    }

    void trimBeforePublishing()
    {
        // Entries that are trimmed before they were ever published never show.
        HttpJournal journal;
        journal.setCapacity(5);
        HttpJournalModel model(&journal);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i = 0; i < 3; ++i)
            journal.append(entry("GET", QStringLiteral("http://h/a"), 200));
        model.flush();
        for (int i = 0; i < 20; ++i)
            journal.append(entry("GET", QStringLiteral("http://h/b"), 200));
        QCOMPARE(model.rowCount(), 0);
        model.flush();
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.data(model.index(0, HttpJournalModel::Path)).toString(),
                 QStringLiteral("/b"));
    }

    void rolesAndText()
    {
        HttpJournal journal;
        HttpJournalModel model(&journal);
        journal.append(entry(
            "PUT", QStringLiteral("http://h:1/api/v1/namespaces/_/actions/x?overwrite=true"), 409));
        journal.append(entry("GET", QStringLiteral("http://h:1/api/v1/namespaces"), 0));
        journal.append(entry("POST", QStringLiteral("http://h:1/api/v1/x"), 502));
        model.flush();
        QCOMPARE(model.data(model.index(0, HttpJournalModel::Path)).toString(),
                 QStringLiteral("/namespaces/_/actions/x?overwrite=true"));
        QCOMPARE(model.data(model.index(0, HttpJournalModel::Method)).toString(),
                 QStringLiteral("PUT"));
        QCOMPARE(model.data(model.index(0, HttpJournalModel::Status)).toString(),
                 QStringLiteral("409"));
        QCOMPARE(model.data(model.index(0, 0), HttpJournalModel::OutcomeRole)
                     .value<HttpJournalModel::Outcome>(),
                 HttpJournalModel::Outcome::ClientError);
        QCOMPARE(model.data(model.index(1, 0), HttpJournalModel::OutcomeRole)
                     .value<HttpJournalModel::Outcome>(),
                 HttpJournalModel::Outcome::NoReply);
        QCOMPARE(model.data(model.index(1, HttpJournalModel::Status)).toString(),
                 QStringLiteral("Connection refused"));
        QCOMPARE(model.data(model.index(2, 0), HttpJournalModel::OutcomeRole)
                     .value<HttpJournalModel::Outcome>(),
                 HttpJournalModel::Outcome::ServerError);
        QCOMPARE(model.data(model.index(0, HttpJournalModel::Size)).toString(),
                 HttpJournalModel::sizeText(1500));
        QCOMPARE(HttpJournalModel::sizeText(10), QStringLiteral("10 B"));
    }
};

QTEST_GUILESS_MAIN(TestHttpJournalModel)
#include "tst_httpjournalmodel.moc"
