// SPDX-License-Identifier: GPL-3.0-or-later
// Profiles (widgets/profiles/): add, edit and remove a profile through the form, with its key in
// the key store and never in profiles.json; switch to it from the toolbar box.
#include "common/messagebar.h"
#include "profiles/profilespage.h"
#include "profiles/profileswitcher.h"
#include "widgettesting.h"
#include "workspace.h"

#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace Feedscope;
using namespace Feedscope::Testing;
using namespace Feedscope::Ui;

class TestProfilesPage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("WSK_CONFIG_FILE", m_dir.filePath(QStringLiteral("wskprops")).toUtf8());
    }

    void addEditRemove()
    {
        WorkspaceOptions options;
        options.stateDirectory = m_dir.filePath(QStringLiteral("state"));
        options.profilesPath = m_dir.filePath(QStringLiteral("profiles.json"));
        options.demo = false;
        Workspace workspace(
            options, std::make_unique<FileKeyStore>(m_dir.filePath(QStringLiteral("keys.json"))));
        ProfilesPage page(&workspace);
        ProfileSwitcher switcher(&workspace);
        page.show();

        QTest::mouseClick(page.addButton(), Qt::LeftButton);
        // Validation before anything is stored.
        QTest::mouseClick(page.saveButton(), Qt::LeftButton);
        QVERIFY(page.messageBar()->isVisible());
        QVERIFY(page.messageBar()->text().contains(QLatin1String("name")));
        QTest::keyClicks(page.nameEdit(), QStringLiteral("staging"));
        QTest::keyClicks(page.hostEdit(), QStringLiteral("https://whisk.example.com"));
        QTest::keyClicks(page.namespaceEdit(), QStringLiteral("team"));
        QTest::keyClicks(page.keyEdit(), QStringLiteral("not-a-key"));
        QTest::mouseClick(page.saveButton(), Qt::LeftButton);
        QVERIFY(page.messageBar()->text().contains(QLatin1String("uuid:key")));
        page.keyEdit()->clear();
        QTest::keyClicks(page.keyEdit(), QStringLiteral("1234:secret-key-value"));
        QTest::mouseClick(page.saveButton(), Qt::LeftButton);
        QVERIFY(waitUntil(
            [&] { return workspace.profiles()->profile(QStringLiteral("staging")).has_value(); }));
        QVERIFY(waitUntil([&] { return switcher.findText(QStringLiteral("staging")) >= 0; }));
        // The key went to the key store, not to profiles.json.
        std::optional<Result<WhiskEndpoint>> endpoint;
        workspace.profiles()->endpoint(
            QStringLiteral("staging"), this, [&](Result<WhiskEndpoint> r) { endpoint.emplace(r); });
        QVERIFY(waitUntil([&] { return endpoint.has_value(); }));
        QVERIFY(*endpoint);
        QCOMPARE((*endpoint)->authKey, QStringLiteral("1234:secret-key-value"));
        QCOMPARE((*endpoint)->ns, QStringLiteral("team"));
        QFile profiles(m_dir.filePath(QStringLiteral("profiles.json")));
        QVERIFY(profiles.open(QIODevice::ReadOnly));
        QVERIFY(!profiles.readAll().contains("secret-key-value"));

        // Edit the host; the key stays when the field is left empty.
        page.select(QStringLiteral("staging"));
        page.hostEdit()->clear();
        QTest::keyClicks(page.hostEdit(), QStringLiteral("https://whisk2.example.com"));
        QTest::mouseClick(page.saveButton(), Qt::LeftButton);
        QVERIFY(waitUntil([&] {
            return workspace.profiles()->profile(QStringLiteral("staging"))->endpoint.apiHost
                   == u"https://whisk2.example.com";
        }));
        endpoint.reset();
        workspace.profiles()->endpoint(
            QStringLiteral("staging"), this, [&](Result<WhiskEndpoint> r) { endpoint.emplace(r); });
        QVERIFY(waitUntil([&] { return endpoint.has_value(); }));
        QCOMPARE((*endpoint)->authKey, QStringLiteral("1234:secret-key-value"));

        // "Use this profile" asks the window to switch.
        QSignalSpy switchRequested(&page, &ProfilesPage::switchRequested);
        QTest::mouseClick(page.useButton(), Qt::LeftButton);
        QCOMPARE(switchRequested.size(), 1);
        QCOMPARE(switchRequested.first().first().toString(), QStringLiteral("staging"));

        // Built-ins cannot be removed; a named profile can, after a confirmation.
        page.select(ProfileStore::localEngineName);
        QVERIFY(!page.removeButton()->isEnabled());
        page.select(QStringLiteral("staging"));
        answerNextMessageBox(QMessageBox::Yes);
        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        QVERIFY(waitUntil(
            [&] { return !workspace.profiles()->profile(QStringLiteral("staging")).has_value(); }));
        QVERIFY(waitUntil([&] { return switcher.findText(QStringLiteral("staging")) < 0; }));
        QStringList unnamed = unnamedControls(&page);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u',')));
    }
};

QTEST_MAIN(TestProfilesPage)
#include "tst_profilespage.moc"
