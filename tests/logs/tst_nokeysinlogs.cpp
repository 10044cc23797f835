// SPDX-License-Identifier: GPL-3.0-or-later
// No key in any log a test run produces (issue H). Runs after every other suite (DEPENDS in
// tests/logs/CMakeLists.txt) and reads what they logged:
//   - ctest's log of this run (Testing/Temporary/LastTest.log.tmp while ctest runs, else the
//     last run's LastTest.log): every suite's stdout and stderr, so the app's and the tests' own
//     messages, QWARN lines and failure texts;
//   - every engine's stderr and its stdout after the start-up banner, which EngineProcess keeps
//     in Testing/Temporary/engine-logs (the banner is the one place a key may be printed).
// Key material is the well-known guest and whisk.system keys (uuid and secret apart, and the
// Base64 of a Basic header), plus anything shaped like a key: "uuid:secret", a lone 64-character
// secret, or a Base64 run that decodes to "uuid:secret" (keys written by --write-keys and any
// other key a test makes). The first test plants such material in a scratch log and proves the
// scan finds each, so a passing scan means something.
#include "enginefixture.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Feedscope::Testing;
using namespace Qt::StringLiterals;

namespace {

struct Finding
{
    QString file;
    int line = 0;
    QString what; // which kind of key; never the key itself
};

const QString uuidPattern
    = u"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"_s;
// The secret half of a key: 64 of [A-Za-z0-9] (KeysFile, the well-known keys).
const QRegularExpression keyPair(uuidPattern + u":[A-Za-z0-9]{64}(?![A-Za-z0-9])"_s);
// A secret alone, not part of a longer word or Base64 run, with upper and lower case and digits
// (a SHA-256 in hex has no upper case).
const QRegularExpression
    loneSecret(u"(?<![A-Za-z0-9+/])(?=[A-Za-z0-9]{0,63}[A-Z])(?=[A-Za-z0-9]{0,63}[a-z])"
               "(?=[A-Za-z0-9]{0,63}[0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9+/=])"_s);
// Base64 of "uuid:secret" (101 bytes) is 136 characters, the last one padding.
const QRegularExpression base64Run(u"[A-Za-z0-9+/]{132,}={0,2}"_s);

struct KnownPart
{
    QByteArray text;
    QString what;
};

QList<KnownPart> knownParts()
{
    QList<KnownPart> parts;
    const QList<QPair<QByteArray, QString>> keys{{guestKey, u"guest"_s},
                                                 {systemKey, u"whisk.system"_s}};
    for (const auto &[key, ns] : keys) {
        const QList<QByteArray> halves = key.split(':');
        parts.append({halves.first(), ns + u" key uuid"_s});
        parts.append({halves.last(), ns + u" key secret"_s});
        parts.append({key.toBase64(), ns + u" key as a Basic header"_s});
    }
    return parts;
}

QList<Finding> scanText(const QByteArray &text, const QString &file)
{
    QList<Finding> findings;
    const QList<KnownPart> known = knownParts();
    const QList<QByteArray> lines = text.split('\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        auto found = [&](const QString &what) {
            findings.append({file, i + 1, what});
        };
        for (const KnownPart &part : known) {
            if (line.contains(part.text))
                found(part.what);
        }
        const QString latin = QString::fromLatin1(line);
        if (keyPair.match(latin).hasMatch())
            found(u"a uuid:secret key"_s);
        if (loneSecret.match(latin).hasMatch())
            found(u"a 64-character secret"_s);
        for (auto it = base64Run.globalMatch(latin); it.hasNext();) {
            const QByteArray decoded = QByteArray::fromBase64(it.next().captured().toLatin1());
            if (keyPair.match(QString::fromLatin1(decoded)).hasMatch())
                found(u"a uuid:secret key in Base64"_s);
        }
    }
    return findings;
}

QList<Finding> scanFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return scanText(file.readAll(), path);
}

QByteArray report(const QList<Finding> &findings)
{
    QByteArray text;
    for (const Finding &f : findings)
        text
            += "\n  " + f.file.toUtf8() + ':' + QByteArray::number(f.line) + ": " + f.what.toUtf8();
    return text;
}

// The logs of this test run (see the header).
QStringList runLogs()
{
    QStringList logs;
    const QDir ctest(QStringLiteral(FEEDSCOPE_CTEST_LOG_DIR));
    const QString current = ctest.filePath(u"LastTest.log.tmp"_s);
    const QString last = ctest.filePath(u"LastTest.log"_s);
    if (QFile::exists(current))
        logs.append(current);
    else if (QFile::exists(last))
        logs.append(last);
    QDirIterator engines(engineLogDirectory(), {u"*.log"_s}, QDir::Files);
    while (engines.hasNext())
        logs.append(engines.next());
    // More logs to read, e.g. a `ctest --output-log` file: FEEDSCOPE_KEYSCAN_LOGS=a.log:b.log
    logs += qEnvironmentVariable("FEEDSCOPE_KEYSCAN_LOGS").split(u':', Qt::SkipEmptyParts);
    return logs;
}

} // namespace

class TestNoKeysInLogs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scanFindsPlantedKeys()
    {
        QTemporaryDir scratch;
        QVERIFY(scratch.isValid());
        const QByteArray made = "0b1e5c9a-7d2f-4c3b-9e8a-1f2d3c4b5a69:"
                                "Zq7Lm2Np4Rs6Tu8Vw0Xy1Ab3Cd5Ef7Gh9Ij2Kl4Mn6Op8Qr0St2Uv4Wx6Yz8Ab0C";
        const QList<QPair<QByteArray, QString>> planted{
            {"QWARN: PUT failed with key " + guestKey.split(':').last(), u"guest key secret"_s},
            {"feedscope-engine: subject " + systemKey.split(':').first(),
             u"whisk.system key uuid"_s},
            {"Authorization: Basic " + guestKey.toBase64(), u"guest key as a Basic header"_s},
            {"{\"authKey\":\"" + made + "\"}", u"a uuid:secret key"_s},
            {"secret=" + made.split(':').last() + " in a URL", u"a 64-character secret"_s},
            {"Authorization: Basic " + made.toBase64(), u"a uuid:secret key in Base64"_s},
        };
        for (const auto &[line, what] : planted) {
            QFile file(scratch.filePath(u"planted.log"_s));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write("feedscope-engine listening on http://127.0.0.1:1234\n" + line + '\n');
            file.close();
            const QList<Finding> findings = scanFile(file.fileName());
            bool seen = false;
            for (const Finding &f : findings)
                seen = seen || (f.what == what && f.line == 2);
            QVERIFY2(seen,
                     qPrintable(what + u" was not found:"_s + QString::fromUtf8(report(findings))));
        }
    }

    void scanLeavesOrdinaryTextAlone()
    {
        // What the logs hold besides keys: activation ids (32 hex), digests (64 hex), redacted
        // keys, Base64 payloads, long words.
        const QByteArray clean
            = "activation 5f0e3a1b2c4d4e6f8a9b0c1d2e3f4a5b finished\n"
              "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
              "Authorization: Basic ***; {\"authKey\":\"***\"}\n"
              "zip UEsDBBQAAAAIAAAAIQBzb21lIGRhdGEgdGhhdCBpcyBub3QgYSBrZXkgYXQgYWxs+/==\n"
              + QByteArray(200, 'x') + '\n';
        const QList<Finding> findings = scanText(clean, u"clean"_s);
        QVERIFY2(findings.isEmpty(), report(findings).constData());
    }

    void noKeyInTheLogsOfThisRun()
    {
        const QStringList logs = runLogs();
        QList<Finding> findings;
        qint64 bytes = 0;
        for (const QString &log : logs) {
            bytes += QFileInfo(log).size();
            findings += scanFile(log);
        }
        qInfo("scanned %lld logs, %lld KB", qint64(logs.size()), bytes / 1024);
        // Nothing is deleted here: a scan may run while another ctest run's engines still log
        // (EngineProcess drops its log when it stayed empty, which is most of them).
        QVERIFY2(findings.isEmpty(),
                 QByteArray("key material in the logs:" + report(findings)).constData());
    }
};

QTEST_GUILESS_MAIN(TestNoKeysInLogs)
#include "tst_nokeysinlogs.moc"
