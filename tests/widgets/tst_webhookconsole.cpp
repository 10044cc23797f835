// SPDX-License-Identifier: GPL-3.0-or-later
// The webhook console (widgets/webhooks/) driven as a user drives it, against a real engine:
// the addresses with their curl lines (key hidden on screen, in full on the clipboard), a send
// with custom headers that shows up in the history with its status and activation, its detail,
// a replay and an edited replay that fire what they say, a delivery through the relay, a bad
// header line reported under the field, and every control named for screen readers. With
// FEEDSCOPE_SCREENSHOTS=DIR set it also saves the console as DIR/feedscope-webhook-console.png
// (the picture in README.md, docs/).
#include "common/jsonfield.h"
#include "common/messagebar.h"
#include "webhookcapturemodel.h"
#include "webhookrelay.h"
#include "webhooks/webhookconsole.h"
#include "webhooks/webhooksendform.h"
#include "widgettesting.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QToolButton>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;
using namespace Qt::StringLiterals;

class TestWebhookConsole : public QObject
{
    Q_OBJECT

private:
    EngineProcess m_engine;
    QTemporaryDir m_dir;
    std::unique_ptr<WebhookRelay> m_relay;

    QJsonObject payloadOf(const QString &activationId)
    {
        return resultOf(m_engine.get(activationPath(activationId)).object());
    }

    template<typename T>
    static T *child(QWidget *root, const char *name)
    {
        return root->findChild<T *>(QLatin1String(name));
    }

    static QString cell(WebhookConsole &console, int row, int column)
    {
        return console.historyView()->model()->index(row, column).data().toString();
    }

    // At the size of the picture in README.md.
    static void showConsole(WebhookConsole &console)
    {
        console.resize(1180, 760);
        console.show();
    }

    static void typeInto(QPlainTextEdit *edit, const QString &text)
    {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Delete);
        QTest::keyClicks(edit, text);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_engine.start(), qPrintable(m_engine.errorString()));
        QVERIFY(setUpTrigger(m_engine, u"door"_s, u"echo"_s));
        m_relay = std::make_unique<WebhookRelay>(m_dir.path());
        m_relay->setEndpoint(
            WhiskEndpoint{m_engine.baseUrl(), QString::fromLatin1(guestKey), u"_"_s});
        QVERIFY(m_relay->start());
        QVERIFY(waitUntil([this] { return m_relay->isLoaded(); }));
    }

    void cleanupTestCase() { m_relay.reset(); }

    void addressesAndCurlLines()
    {
        WebhookConsole console(m_relay.get(), u"door"_s);
        showConsole(console);
        auto *fireUrl = child<QLineEdit>(&console, "webhookFireUrl");
        auto *directCurl = child<QLineEdit>(&console, "webhookDirectCurl");
        auto *relayUrl = child<QLineEdit>(&console, "webhookRelayUrl");
        QVERIFY(fireUrl && directCurl && relayUrl);
        QCOMPARE(fireUrl->text(), m_engine.baseUrl() + u"/api/v1/namespaces/_/triggers/door"_s);
        QCOMPARE(relayUrl->text(), u"http://127.0.0.1:%1/hooks/door"_s.arg(m_relay->port()));
        // On screen the key is hidden; the copy carries it.
        QVERIFY(directCurl->text().contains("-u '***'"_L1));
        QVERIFY(!directCurl->text().contains(QString::fromLatin1(guestKey)));
        QApplication::clipboard()->clear();
        QTest::mouseClick(child<QToolButton>(&console, "copyDirectCurlActionButton"),
                          Qt::LeftButton);
        QVERIFY(waitUntil([] {
            return QApplication::clipboard()->text().contains(QString::fromLatin1(guestKey));
        }));
        QVERIFY(QApplication::clipboard()->text().contains(fireUrl->text()));
        QTest::mouseClick(child<QToolButton>(&console, "copyRelayUrlActionButton"), Qt::LeftButton);
        QVERIFY(waitUntil([&] { return QApplication::clipboard()->text() == relayUrl->text(); }));
        // The curl lines follow the payload being typed.
        typeInto(console.findChild<QPlainTextEdit *>(u"webhookPayloadEdit"_s), u"{\"z\": 9}"_s);
        QVERIFY(child<QLineEdit>(&console, "webhookRelayCurl")->text().contains("{\"z\":9}"_L1));
        QVERIFY(directCurl->text().contains("{\"z\":9}"_L1));
        QVERIFY2(unnamedControls(&console).isEmpty(),
                 qPrintable(unnamedControls(&console).join(u", ")));
    }

    void relaySettings()
    {
        WebhookConsole console(m_relay.get(), u"door"_s);
        showConsole(console);
        auto *port = child<QSpinBox>(&console, "webhookRelayPort");
        auto *apply = child<QPushButton>(&console, "webhookRelayApply");
        QVERIFY(port && apply);
        QCOMPARE(port->value(), 0); // any free port
        QVERIFY(!apply->isEnabled());
        // A port that is taken: said in the relay's status, and another one can be tried.
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        port->setValue(taken.serverPort());
        QVERIFY(apply->isEnabled());
        QTest::mouseClick(apply, Qt::LeftButton);
        QCOMPARE(m_relay->state(), WebhookRelay::State::Failed);
        QVERIFY(console.relayStatus()->text().contains(QString::number(taken.serverPort())));
        QVERIFY(child<QLineEdit>(&console, "webhookRelayUrl")->text().isEmpty());
        const quint16 free = freePort();
        port->setValue(free);
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(m_relay->isListening());
        QCOMPARE(child<QLineEdit>(&console, "webhookRelayUrl")->text(),
                 u"http://127.0.0.1:%1/hooks/door"_s.arg(free));
        port->setValue(0);
        QTest::mouseClick(apply, Qt::LeftButton);
        QVERIFY(m_relay->isListening());
        QCOMPARE(m_relay->settings().port, quint16(0));
    }

    void sendReplayAndEdit()
    {
        m_relay->clear();
        WebhookConsole console(m_relay.get(), u"door"_s);
        showConsole(console);
        auto *headers = child<QPlainTextEdit>(&console, "webhookHeadersEdit");
        auto *payload = child<QPlainTextEdit>(&console, "webhookPayloadEdit");
        auto *sendButton = child<QPushButton>(&console, "webhookSendButton");
        auto *result = child<MessageBar>(&console, "webhookSendResult");
        QVERIFY(headers && payload && sendButton && result);

        // A header line without a colon: said under the field, Send disabled.
        typeInto(headers, u"X-Test from console"_s);
        QVERIFY(child<MessageBar>(&console, "webhookHeadersMessage")->text().contains("line 1"_L1));
        QVERIFY(!sendButton->isEnabled());
        typeInto(headers, u"X-Test: from-console"_s);
        QVERIFY(child<MessageBar>(&console, "webhookHeadersMessage")->text().isEmpty());
        typeInto(payload, u"{\"n\": 1}"_s);
        QVERIFY(sendButton->isEnabled());
        QTest::mouseClick(sendButton, Qt::LeftButton);

        QTableView *history = console.historyView();
        QVERIFY(waitUntil([&] {
            return history->model()->rowCount() == 1
                   && cell(console, 0, WebhookCaptureModel::Status) == u"202"_s;
        }));
        const QString firstId = cell(console, 0, WebhookCaptureModel::Activation);
        QVERIFY(!firstId.isEmpty());
        QCOMPARE(cell(console, 0, WebhookCaptureModel::Source), u"console"_s);
        QCOMPARE(cell(console, 0, WebhookCaptureModel::ContentType), u"application/json"_s);
        QVERIFY(result->text().contains(firstId));
        QCOMPARE(payloadOf(firstId), QJsonObject({{"n"_L1, 1}}));
        // The sent capture is selected and shown in detail.
        QVERIFY(console.requestView()->toPlainText().contains("X-Test: from-console"_L1));
        QVERIFY(console.requestView()->toPlainText().contains("{\"n\": 1}"_L1));
        QVERIFY(console.outcomeView()->toPlainText().contains(firstId));

        // Replay: a second row, the same payload fired again.
        QTest::mouseClick(child<QToolButton>(&console, "replayCaptureActionButton"),
                          Qt::LeftButton);
        QVERIFY(waitUntil([&] {
            return history->model()->rowCount() == 2
                   && cell(console, 0, WebhookCaptureModel::Status) == u"202"_s;
        }));
        QCOMPARE(cell(console, 0, WebhookCaptureModel::Source), u"replay"_s);
        const QString replayId = cell(console, 0, WebhookCaptureModel::Activation);
        QVERIFY(replayId != firstId);
        QCOMPARE(payloadOf(replayId), payloadOf(firstId));
        QVERIFY(console.requestView()->toPlainText().contains("Replay of the console capture"_L1));

        // Edit and replay: the edit is what fires.
        history->selectRow(1);
        QVERIFY(console.editReplayAction()->isEnabled());
        console.editReplayAction()->trigger();
        QVERIFY(child<MessageBar>(&console, "webhookReplayNote")->isVisible());
        QCOMPARE(headers->toPlainText(), u"Content-Type: application/json\nX-Test: from-console"_s);
        typeInto(payload, u"{\"n\": 2}"_s);
        QTest::mouseClick(sendButton, Qt::LeftButton);
        QVERIFY(waitUntil([&] {
            return history->model()->rowCount() == 3
                   && cell(console, 0, WebhookCaptureModel::Status) == u"202"_s;
        }));
        QCOMPARE(cell(console, 0, WebhookCaptureModel::Source), u"replay"_s);
        QCOMPARE(payloadOf(cell(console, 0, WebhookCaptureModel::Activation)),
                 QJsonObject({{"n"_L1, 2}}));
        QTest::mouseClick(child<QPushButton>(&console, "webhookNewEventButton"), Qt::LeftButton);
        QVERIFY(!child<MessageBar>(&console, "webhookReplayNote")->isVisible());

        // Every control, the replay note's button included, speaks its name.
        console.editReplayAction()->trigger();
        QVERIFY2(unnamedControls(&console).isEmpty(),
                 qPrintable(unnamedControls(&console).join(u", ")));
    }

    void relayDeliveriesShowUp()
    {
        WebhookConsole console(m_relay.get(), u"door"_s);
        showConsole(console);
        const int before = console.historyView()->model()->rowCount();
        QNetworkAccessManager network;
        QNetworkRequest request(m_relay->hookUrl(u"door"_s));
        request.setRawHeader("Content-Type", "text/plain");
        QNetworkReply *reply = network.post(request, "plain words");
        QVERIFY(waitUntil([&] { return reply->isFinished(); }));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
        reply->deleteLater();
        QVERIFY(
            waitUntil([&] { return console.historyView()->model()->rowCount() == before + 1; }));
        QCOMPARE(cell(console, 0, WebhookCaptureModel::Source), u"relay"_s);
        QCOMPARE(cell(console, 0, WebhookCaptureModel::ContentType), u"text/plain"_s);
        // Not JSON: replayed as it came, not edited.
        console.historyView()->selectRow(0);
        QVERIFY(console.replayAction()->isEnabled());
        QVERIFY(!console.editReplayAction()->isEnabled());
        QVERIFY(console.requestView()->toPlainText().contains("plain words"_L1));
        if (qEnvironmentVariableIsSet("FEEDSCOPE_SCREENSHOTS")) {
            console.sendForm()->editReplay(*m_relay->capture(m_relay->captures().front().id));
            QTest::qWait(100);
            QVERIFY(console.grab().save(qEnvironmentVariable("FEEDSCOPE_SCREENSHOTS")
                                        + u"/feedscope-webhook-console.png"_s));
        }
    }
};

QTEST_MAIN(TestWebhookConsole)
#include "tst_webhookconsole.moc"
