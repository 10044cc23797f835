// SPDX-License-Identifier: GPL-3.0-or-later
// The HTTP log panel (widgets/httplog/): what the app sent, in detail, with the key redacted and
// copy as curl; background polls hidden unless asked for.
#include "httpjournalmodel.h"
#include "httplog/httplogpanel.h"
#include "widgettesting.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTableView>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

class TestHttpLogPanel : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString())); }

    void showsRequestsInDetail()
    {
        HttpJournal journal;
        HttpLogPanel panel(&journal);
        panel.resize(1200, 500);
        panel.show();
        const WhiskClientPtr client = WhiskClient::create(
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), QStringLiteral("_")},
            &journal);
        const WhiskClientPtr poller = WhiskClient::create(client->endpoint(), &journal);
        poller->setBackground(true);
        bool done = false;
        Action a;
        a.kind = QStringLiteral("nodejs:20");
        a.code = QStringLiteral("function main(p){return p}");
        client->putAction(
            *QualifiedName::parse(QStringLiteral("logged")), a, true, this, [&](Result<Action>) {
                done = true;
            });
        QVERIFY(waitUntil([&] { return done; }));
        done = false;
        poller->listNamespaces(this, [&](Result<QStringList>) { done = true; });
        QVERIFY(waitUntil([&] { return done; }));
        done = false;
        client->getAction(*QualifiedName::parse(QStringLiteral("missing")),
                          false,
                          this,
                          [&](Result<Action>) { done = true; });
        QVERIFY(waitUntil([&] { return done; }));

        QTableView *view = panel.view();
        // The poll is background traffic: hidden until asked for.
        QVERIFY(waitUntil([&] { return view->model()->rowCount() == 2; }));
        QTest::mouseClick(panel.backgroundBox(), Qt::LeftButton);
        QCOMPARE(view->model()->rowCount(), 3);
        QTest::mouseClick(panel.backgroundBox(), Qt::LeftButton);
        QCOMPARE(view->model()->rowCount(), 2);
        QCOMPARE(view->model()->index(0, HttpJournalModel::Method).data().toString(),
                 QStringLiteral("PUT"));
        QCOMPARE(view->model()->index(1, HttpJournalModel::Status).data().toString(),
                 QStringLiteral("404"));

        view->selectRow(0);
        QVERIFY(
            panel.requestView()->toPlainText().contains(QLatin1String("Authorization: Basic ***")));
        QVERIFY(
            !panel.requestView()->toPlainText().contains(QString::fromLatin1(guestKey.toBase64())));
        QVERIFY(panel.requestView()->toPlainText().contains(QLatin1String("function main")));
        QVERIFY(panel.responseView()->toPlainText().startsWith(QLatin1String("HTTP 200")));
        QVERIFY(panel.copyCurlAction()->isEnabled());
        panel.copyCurlAction()->trigger();
        QVERIFY(QApplication::clipboard()->text().startsWith(QLatin1String("curl -X PUT")));
        QVERIFY(QApplication::clipboard()->text().contains(QLatin1String("$OW_AUTH")));

        // The filter narrows by path.
        QTest::keyClicks(panel.filterEdit(), QStringLiteral("missing"));
        QCOMPARE(view->model()->rowCount(), 1);
        panel.filterEdit()->clear();
        panel.clearAction()->trigger();
        QCOMPARE(view->model()->rowCount(), 0);
        QVERIFY(!panel.copyCurlAction()->isEnabled());
    }
};

QTEST_MAIN(TestHttpLogPanel)
#include "tst_httplogpanel.moc"
