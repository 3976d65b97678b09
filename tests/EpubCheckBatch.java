// EPUBCheck over many EPUBs in one Java run (a JVM starts in seconds, an
// EPUB is checked in a fraction of one): run as a single source file,
//   java -cp /usr/share/java/epubcheck.jar tests/EpubCheckBatch.java A.epub ...
// Each file's messages as EPUBCheck prints them, then a line
// "EPUBCHECK <path> <errors + warnings + fatal errors>". Exit 1 if any
// file has one.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckBatch {
    public static void main(String[] args) {
        int bad = 0;
        for (String a : args) {
            DefaultReportImpl r = new DefaultReportImpl(a);
            new EpubCheck(new File(a), r).validate();
            int n = r.getErrorCount() + r.getWarningCount() + r.getFatalErrorCount();
            System.out.flush();
            System.err.flush();
            System.out.println("EPUBCHECK " + a + " " + n);
            if (n > 0)
                bad++;
        }
        System.exit(bad > 0 ? 1 : 0);
    }
}
